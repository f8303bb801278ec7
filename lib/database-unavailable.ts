/**
 * Whether an error means the database cannot be reached right now (it is down, restarting, refusing
 * connections, or too slow to answer), as opposed to a bug or a bad request. Such a failure is answered
 * 503 temporarily_unavailable (lib/oauth/errors.ts), never 500: nothing is wrong with the
 * request, and it will succeed once the database is back, without a restart (the pool reconnects).
 *
 * The failure reaches the app in several shapes, all recognised here:
 * - Prisma's errors with a connection code (P1001 can't reach, P1002/P1008 timed out, P1017 closed,
 *   P2024 no pool connection in time, P2037 too many connections);
 * - the driver adapter's `DriverAdapterError`, whose `cause.kind` names the failure
 *   (`DatabaseNotReachable`, `ConnectionClosed`, `SocketTimeout`, `TooManyConnections`) or whose
 *   `cause.code` is PostgreSQL's SQLSTATE: class 08 (connection exception), 53300 (too many
 *   connections), 57P01-57P03 (shut down, crashed, starting up), 57014 (statement timeout);
 *   Prisma nests it as `meta.driverAdapterError` of a P2010 from a raw query;
 * - node-postgres' own errors, which the adapter passes on as they are: a socket error (ECONNREFUSED,
 *   ECONNRESET, ...), "Connection terminated unexpectedly", the pool's connect timeout, the client's
 *   query timeout (lib/db.ts sets both, so that nothing hangs);
 * - SQLite's SQLITE_BUSY once its busy timeout has passed, and the hot SQL's own wait for the connection.
 */

const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const SQLSTATES = /^(08...|53300|57P0[123]|57014)$/;
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "SQLITE_BUSY",
]);
const MESSAGES = [
  /^Connection terminated/, // node-postgres: the server went away, or the connect timeout
  /^timeout exceeded when trying to connect$/, // pg-pool's connectionTimeoutMillis
  /^Query read timeout$/, // node-postgres' query_timeout
  /^Client has encountered a connection error and is not queryable$/,
  /^Cannot use a pool after calling end on the pool$/,
  /^A Prisma transaction held the SQLite connection/, // lib/records/hot-sql.ts
];

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const e = error as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
  if (typeof e.code === "string" && (PRISMA_CODES.has(e.code) || SOCKET_CODES.has(e.code) || SQLSTATES.test(e.code))) return true;
  if (typeof e.kind === "string" && ADAPTER_KINDS.has(e.kind)) return true;
  if (typeof e.message === "string" && MESSAGES.some((m) => m.test(e.message as string))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1) || isDatabaseUnavailable(e.meta?.driverAdapterError, depth + 1);
}
