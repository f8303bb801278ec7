import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { getConfig } from "./config";
import { databaseProvider, sqliteFilename } from "./database-url";
import { PrismaClient } from "./generated/prisma/client";
import type Database from "better-sqlite3";
import { attachSqliteDirect, WRITE_WAIT_MS } from "./records/hot-sql";
import { BACKSTOP_PAGES, startWalCheckpointer } from "./records/wal-checkpointer";

/**
 * The database of every role. Each provider has its own generated client (lib/generated/prisma and
 * lib/generated/prisma-pg, from two schemas that differ only in their provider), with the same model
 * API; the code is typed against the SQLite one.
 */
export type Db = PrismaClient;

export type PostgresTimeouts = { connectMs?: number; queryMs?: number };
export type OpenOptions = PostgresTimeouts & {
  /** SQLite: checkpoint the WAL on a worker thread (lib/records/wal-checkpointer.ts), as the server does. */
  walCheckpointer?: boolean;
};

/**
 * Opens a Prisma client on DATABASE_URL: `file:` for SQLite, `postgresql://` for PostgreSQL (with
 * the timeouts below; tests shorten them).
 */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Db> {
  return databaseProvider(url) === "postgresql" ? openPostgres(url, options) : openSqlite(url, options);
}

/** Prisma's better-sqlite3 adapter, keeping the connection it opens for the hot SQL (lib/records/hot-sql.ts). */
class SqliteAdapter extends PrismaBetterSQLite3 {
  connection?: Database.Database;
  override async connect() {
    const adapter = await super.connect();
    const connection = (adapter as unknown as { client?: Database.Database }).client;
    if (typeof connection?.prepare !== "function" || typeof connection.inTransaction !== "boolean") {
      throw new Error("@prisma/adapter-better-sqlite3 no longer exposes its better-sqlite3 connection as `client` (lib/db.ts).");
    }
    this.connection = connection;
    return adapter;
  }
}

/**
 * A SQLite file in WAL mode (readers never wait for the writer); the hot SQL runs on its connections
 * directly (lib/records/hot-sql.ts). With `walCheckpointer`, a worker thread copies the WAL back into
 * the file, so that no request waits for it.
 */
async function openSqlite(url: string, { walCheckpointer = false }: OpenOptions): Promise<Db> {
  const filename = sqliteFilename(url);
  const adapter = new SqliteAdapter({ url: filename, timeout: WRITE_WAIT_MS });
  const db = new PrismaClient({ adapter });
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  attachSqliteDirect(db, filename, () => adapter.connection!);
  if (walCheckpointer) {
    // Last: nothing after it can fail, so a failed open never leaves a worker behind. The server's worker lives as long as it.
    await db.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    startWalCheckpointer(filename, undefined, () => void db.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 1000").catch(() => {}));
  }
  return db;
}

/**
 * How long a request waits for the database before it is answered 503 temporarily_unavailable
 * (lib/database-unavailable.ts) instead of hanging: a new PostgreSQL connection, and one statement's
 * answer. node-postgres waits forever by default, e.g. for a server that is unreachable without
 * refusing (a network partition, a paused VM). A statement of this app takes milliseconds.
 */
export const POSTGRES_CONNECT_TIMEOUT_MS = 5_000;
export const POSTGRES_QUERY_TIMEOUT_MS = 15_000;

/**
 * PostgreSQL through node-postgres (a pool of up to 10 connections per process), loaded only when
 * used. READ COMMITTED, PostgreSQL's default, is what the code relies on: each one-time use is a single
 * conditional UPDATE, which re-checks its condition on the row it waited for. When the server goes
 * away, the pool drops the broken connections and opens new ones once it is back: no restart needed.
 */
async function openPostgres(
  url: string,
  { connectMs = POSTGRES_CONNECT_TIMEOUT_MS, queryMs = POSTGRES_QUERY_TIMEOUT_MS }: OpenOptions,
): Promise<Db> {
  const [{ PrismaPg }, { PrismaClient: PostgresClient }] = await Promise.all([
    import("@prisma/adapter-pg"),
    import("./generated/prisma-pg/client"),
  ]);
  const adapter = new PrismaPg({
    connectionString: url,
    connectionTimeoutMillis: connectMs,
    // Client-side (a server that stopped answering) and server-side (a statement stuck on a lock).
    query_timeout: queryMs,
    statement_timeout: queryMs,
    // A dead peer on an idle connection is noticed by TCP keepalive, not by the next request.
    keepAlive: true,
  });
  const db = new PostgresClient({ adapter });
  await db.$connect();
  // Same models, same methods: the two generated clients differ only in provider-specific options.
  return db as unknown as Db;
}

const globalForPrisma = globalThis as unknown as { authcodeLabDb?: Promise<Db> };

/** The one Prisma client of this process; a failure to open it is not kept, so the next request tries again. */
export function getDb(): Promise<Db> {
  if (!globalForPrisma.authcodeLabDb) {
    const opening = openDatabase(getConfig().databaseUrl, { walCheckpointer: true });
    globalForPrisma.authcodeLabDb = opening;
    opening.catch(() => {
      if (globalForPrisma.authcodeLabDb === opening) globalForPrisma.authcodeLabDb = undefined;
    });
  }
  return globalForPrisma.authcodeLabDb;
}
