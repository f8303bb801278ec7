/**
 * `npm run bench -- --fill`: the database of a workshop season, written by SQL alone, so that the bench
 * measures what a server that has run for a while pays (issue 15, "Cost as the data grows").
 *
 * One INSERT ... SELECT per table over a generated series (a recursive CTE on SQLite, generate_series on
 * PostgreSQL): no row crosses from Node to the database. Every row is a steady state's: nothing the
 * purge (lib/records/prune.ts) would delete yet, so the bench measures requests, not a first purge of
 * a backlog. Expiries are spread in the past and the future (access tokens within the hour the purge
 * keeps an expired one, refresh tokens over their day, codes mostly spent and expired, kept by their
 * grant's tokens); events span the last 23 hours in id order; hashes are unique; the rows belong to
 * `fill-*` users, clients and runs only, so the demo accounts the bench signs in with, and their rate
 * limits, are untouched.
 */
import Database from "better-sqlite3";
import { existsSync, statSync } from "node:fs";
import pg from "pg";
import { hashPassword, randomToken } from "../../lib/crypto";

export type FillProvider = "sqlite" | "postgresql";

export type FillSize = {
  events: number;
  /** Authorization codes; each is a grant with one access token and one refresh token. */
  grants: number;
  clients: number;
  users: number;
  /** Correlation ids the events and grants are spread over. */
  runs: number;
};

/** Issue 15's workshop season. */
export const SEASON: FillSize = { events: 1_000_000, grants: 200_000, clients: 10_000, users: 1_000, runs: 20_000 };

const HOUR = 3600;
/** The purge's grace for tokens (TOKEN_GRACE_MS) is an hour: the fill keeps inside it. */
const KEPT_EXPIRED_S = 50 * 60;
const ACCESS_TTL_S = 300;
const REFRESH_TTL_S = 24 * HOUR;

function dialect(provider: FillProvider, now: Date) {
  const sqlite = provider === "sqlite";
  const iso = now.toISOString();
  return {
    /** A series 1..n as rows of `i`: wrap an INSERT ... SELECT ... FROM s. */
    insert: (n: number, table: string, columns: string[], select: string) =>
      sqlite
        ? `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n})
           INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) SELECT ${select} FROM s`
        : `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) SELECT ${select} FROM generate_series(1, ${n}) AS s(i)`,
    /** `now` plus an expression in seconds, stored as each database's Prisma stores a DateTime (SQLite: ISO text, UTC). */
    at: (seconds: string) =>
      sqlite
        ? `strftime('%Y-%m-%dT%H:%M:%f+00:00', '${iso.slice(0, 23)}', printf('%+.3f seconds', ${seconds}))`
        : `(timestamp '${iso.slice(0, 23).replace("T", " ")}' + (${seconds})::float8 * interval '1 second')`,
    /**
     * A unique 43-character string, the length of hashToken's base64url SHA-256: on PostgreSQL that very
     * hash (of `fill-<kind>-<i>`); SQLite has no SHA-256, so 172 random bits in hex there.
     */
    hash: (kind: string) =>
      sqlite
        ? `lower(substr(hex(randomblob(32)), 1, 43))`
        : `rtrim(translate(encode(sha256(convert_to('fill-${kind}-' || i, 'UTF8')), 'base64'), '+/', '-_'), '=')`,
    bool: (condition: string) => (sqlite ? `(CASE WHEN ${condition} THEN 1 ELSE 0 END)` : `(${condition})`),
    /** A pseudo-random fraction in [0, 1) of `i`, the same on both databases. */
    spread: (salt: number) => `((i * ${2_654_435_761 + salt * 2}) % 1000003) / 1000003.0`,
  };
}

const user = (expr: string, size: FillSize) => `'fill-user-' || ((${expr}) % ${size.users} + 1)`;
const client = (expr: string, size: FillSize) => `'fill-client-' || ((${expr}) % ${size.clients} + 1)`;
const run = (expr: string, size: FillSize) => `'fill-run-' || ((${expr}) % ${size.runs} + 1)`;

/** The fill as one statement per table, in order. `passwordHash` is every user's (a real scrypt hash of a random password). */
export function fillStatements(
  provider: FillProvider,
  size: FillSize,
  now: Date,
  passwordHash: string,
): { table: string; rows: number; sql: string }[] {
  const d = dialect(provider, now);
  const scopes = "openid profile email offline_access notes:read notes:write";
  const { users, clients, grants, events } = size;
  const eventNames = [
    "authorization_request",
    "authorization_response",
    "token_request",
    "token_response",
    "api_request",
    "api_validation",
    "api_response",
  ];
  const roles = [
    "client",
    "authorization-server",
    "authorization-server",
    "authorization-server",
    "client",
    "resource-server",
    "resource-server",
  ];
  const pick = (list: string[], expr: string) =>
    `(CASE (${expr}) % ${list.length} ${list.map((v, k) => `WHEN ${k} THEN '${v}'`).join(" ")} END)`;
  const data = `'{"request":{"method":"POST","url":"/oauth/token","headers":{"content-type":"application/x-www-form-urlencoded","authorization":"Basic ***"},"body":{"grant_type":"authorization_code","code":"***","redirect_uri":"https://client.example/callback","code_verifier":"***"}},"response":{"status":200,"headers":{"cache-control":"no-store"},"body":{"access_token":"eyJ***","token_type":"Bearer","expires_in":300,"refresh_token":"***","scope":"openid notes:read"}},"seq":' || i || '}'`;
  return [
    {
      table: "User",
      rows: users,
      sql: d.insert(
        users,
        "User",
        ["id", "username", "passwordHash", "name", "email", "emailVerified", "createdAt"],
        `'fill-user-' || i, 'fill-user-' || i, '${passwordHash}', 'Participant ' || i, 'fill-user-' || i || '@example.com', ${d.bool("i % 4 <> 0")}, ${d.at(`-30 * 86400 * ${d.spread(1)}`)}`,
      ),
    },
    {
      table: "Client",
      rows: clients,
      sql: d.insert(
        clients,
        "Client",
        ["id", "name", "secretHash", "tokenEndpointAuthMethod", "redirectUris", "allowedScopes", "selfRegistered", "policy", "createdAt"],
        `'fill-client-' || i, 'Workshop client ' || i, CASE WHEN i % 5 = 0 THEN NULL ELSE ${d.hash("client")} END,
         CASE WHEN i % 5 = 0 THEN 'none' WHEN i % 2 = 0 THEN 'client_secret_post' ELSE 'client_secret_basic' END,
         '["https://client-' || i || '.example/callback"]', '${scopes}', ${d.bool("i % 2 = 0")}, '{}', ${d.at(`-30 * 86400 * ${d.spread(2)}`)}`,
      ),
    },
    {
      table: "Session",
      rows: users,
      sql: d.insert(
        users,
        "Session",
        ["id", "tokenHash", "userId", "authTime", "expiresAt", "createdAt"],
        `'fill-session-' || i, ${d.hash("session")}, 'fill-user-' || i, ${d.at(`-4 * ${HOUR} * ${d.spread(3)}`)},
         ${d.at(`-240 + 8 * ${HOUR} * ${d.spread(4)}`)}, ${d.at(`-4 * ${HOUR} * ${d.spread(3)}`)}`,
      ),
    },
    {
      // Ten clients per user: distinct for each user as long as there are ten clients.
      table: "Consent",
      rows: users * 10,
      sql: d.insert(
        users * 10,
        "Consent",
        ["id", "userId", "clientId", "scope", "createdAt", "updatedAt"],
        `'fill-consent-' || i, ${user("i - 1", size)}, ${client(`((i - 1) % ${users}) * 10 + (i - 1) / ${users}`, size)}, 'openid notes:read', ${d.at(`-86400 * ${d.spread(5)}`)}, ${d.at(`-3600 * ${d.spread(5)}`)}`,
      ),
    },
    {
      table: "Note",
      rows: users * 5,
      sql: d.insert(
        users * 5,
        "Note",
        ["id", "userId", "text", "createdAt"],
        `'fill-note-' || i, ${user("i", size)}, 'Workshop note ' || i, ${d.at(`-7 * 86400 * ${d.spread(6)}`)}`,
      ),
    },
    {
      // Failed sign-ins of the fill's accounts in the last five minutes, under their account keys only.
      table: "LoginAttempt",
      rows: users * 2,
      sql: d.insert(users * 2, "LoginAttempt", ["key", "at"], `'user:' || ${user("i", size)}, ${d.at(`-300 * ${d.spread(7)}`)}`),
    },
    {
      table: "Interaction",
      rows: users * 2,
      sql: d.insert(
        users * 2,
        "Interaction",
        [
          "id",
          "correlationId",
          "clientId",
          "redirectUri",
          "scope",
          "state",
          "nonce",
          "codeChallenge",
          "csrfHash",
          "expiresAt",
          "createdAt",
        ],
        `'fill-interaction-' || i, ${run("i", size)}, ${client("i", size)}, 'https://client.example/callback', 'openid notes:read', 's' || i, NULL,
         ${d.hash("challenge")}, ${d.hash("csrf")}, ${d.at(`-240 + 840 * ${d.spread(8)}`)}, ${d.at(`-600 * ${d.spread(8)}`)}`,
      ),
    },
    {
      // A grant's code, created shortly before its refresh token (below), expired a minute later, mostly spent.
      table: "AuthorizationCode",
      rows: grants,
      sql: d.insert(
        grants,
        "AuthorizationCode",
        [
          "id",
          "codeHash",
          "correlationId",
          "clientId",
          "userId",
          "redirectUri",
          "scope",
          "codeChallenge",
          "nonce",
          "authTime",
          "expiresAt",
          "consumedAt",
          "revokedAt",
          "createdAt",
        ],
        `'fill-grant-' || i, ${d.hash("code")}, ${run("i", size)}, ${client("i", size)}, ${user("i", size)},
         'https://client.example/callback', '${scopes}', ${d.hash("challenge")}, CASE WHEN i % 2 = 0 THEN 'n' || i END,
         ${d.at(`-${REFRESH_TTL_S + KEPT_EXPIRED_S} * ${d.spread(9)} - 30`)}, ${d.at(`-${REFRESH_TTL_S + KEPT_EXPIRED_S} * ${d.spread(9)} + 60`)},
         CASE WHEN i % 10 <> 0 THEN ${d.at(`-${REFRESH_TTL_S + KEPT_EXPIRED_S} * ${d.spread(9)} + 5`)} END,
         CASE WHEN i % 50 = 0 THEN ${d.at(`-${REFRESH_TTL_S + KEPT_EXPIRED_S} * ${d.spread(9)} + 10`)} END,
         ${d.at(`-${REFRESH_TTL_S + KEPT_EXPIRED_S} * ${d.spread(9)}`)}`,
      ),
    },
    {
      // Refresh tokens over their day: expired up to 50 minutes ago, or live for up to a day; a third rotated, a few revoked.
      table: "RefreshToken",
      rows: grants,
      sql: d.insert(
        grants,
        "RefreshToken",
        [
          "id",
          "tokenHash",
          "grantId",
          "correlationId",
          "clientId",
          "userId",
          "scope",
          "authTime",
          "expiresAt",
          "rotatedAt",
          "revokedAt",
          "createdAt",
        ],
        `'fill-refresh-' || i, ${d.hash("refresh")}, 'fill-grant-' || i, ${run("i", size)}, ${client("i", size)}, ${user("i", size)}, '${scopes}',
         ${d.at(`-${REFRESH_TTL_S + KEPT_EXPIRED_S} * ${d.spread(9)} - 30`)},
         ${d.at(`${REFRESH_TTL_S} - ${REFRESH_TTL_S + KEPT_EXPIRED_S} * ${d.spread(9)}`)},
         CASE WHEN i % 3 = 0 THEN ${d.at(`-60 * ${d.spread(10)}`)} END,
         CASE WHEN i % 50 = 0 THEN ${d.at(`-60 * ${d.spread(10)}`)} END,
         ${d.at(`-${REFRESH_TTL_S + KEPT_EXPIRED_S} * ${d.spread(9)}`)}`,
      ),
    },
    {
      // Access tokens of the last hour (a code grant's or a refresh's): expired up to 50 minutes ago, or live for up to 5 minutes.
      table: "AccessToken",
      rows: grants,
      sql: d.insert(
        grants,
        "AccessToken",
        ["jti", "grantId", "correlationId", "clientId", "userId", "scope", "expiresAt", "revokedAt", "createdAt"],
        `${d.hash("jti")}, 'fill-grant-' || i, ${run("i", size)}, ${client("i", size)}, ${user("i", size)}, '${scopes}',
         ${d.at(`${ACCESS_TTL_S} - ${KEPT_EXPIRED_S + ACCESS_TTL_S} * ${d.spread(11)}`)},
         CASE WHEN i % 100 = 0 THEN ${d.at(`-${KEPT_EXPIRED_S} * ${d.spread(11)}`)} END,
         ${d.at(`-${KEPT_EXPIRED_S + ACCESS_TTL_S} * ${d.spread(11)}`)}`,
      ),
    },
    {
      // The last 23 hours of steps (the default retention keeps 24), oldest first as ids grow.
      table: "FlowEvent",
      rows: events,
      sql: d.insert(
        events,
        "FlowEvent",
        ["at", "correlationId", "role", "step", "name", "outcome", "clientId", "userId", "data"],
        `${d.at(`-23 * ${HOUR} + i * ${(23 * HOUR) / events}`)}, ${run("i / 50", size)}, ${pick(roles, "i")}, i % 7 + 1, ${pick(eventNames, "i")},
         CASE WHEN i % 20 = 0 THEN 'error' ELSE 'ok' END, CASE WHEN i % 7 = 0 THEN NULL ELSE ${client("i / 50", size)} END,
         CASE WHEN i % 7 = 0 THEN NULL ELSE ${user("i / 50", size)} END, ${data}`,
      ),
    },
  ];
}

/** Runs the fill, table by table (each statement is its own transaction); returns each table's time in ms. */
export async function fillDatabase(
  exec: (sql: string) => Promise<unknown>,
  provider: FillProvider,
  size: FillSize,
  now: Date,
  passwordHash: string,
): Promise<{ table: string; rows: number; ms: number }[]> {
  const timings: { table: string; rows: number; ms: number }[] = [];
  for (const { table, rows, sql } of fillStatements(provider, size, now, passwordHash)) {
    const t0 = performance.now();
    await exec(sql);
    timings.push({ table, rows, ms: performance.now() - t0 });
  }
  return timings;
}

/** The database's size in bytes: SQLite's file and its WAL; PostgreSQL's whole database. */
export async function databaseBytes(databaseUrl: string): Promise<number> {
  if (databaseUrl.startsWith("file:")) {
    const file = databaseUrl.slice("file:".length).split("?")[0];
    return ["", "-wal"].reduce((sum, suffix) => sum + (existsSync(file + suffix) ? statSync(file + suffix).size : 0), 0);
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string }>("SELECT pg_database_size(current_database()) AS bytes");
    return Number(rows[0].bytes);
  } finally {
    await client.end();
  }
}

/**
 * Fills the (migrated, seeded) database of `databaseUrl` to `size`; what it took. SQLite: on its own
 * connection, with the WAL checkpointed at the end (the file is then the whole database). No ANALYZE
 * there: the app never runs one, so the bench plans as a server that grew would. PostgreSQL: ANALYZE
 * at the end, as autovacuum would soon after such a load.
 */
export async function fillUrl(databaseUrl: string, size: FillSize = SEASON, now = new Date()) {
  const passwordHash = await hashPassword(randomToken());
  const started = performance.now();
  let timings: { table: string; rows: number; ms: number }[];
  if (databaseUrl.startsWith("file:")) {
    const db = new Database(databaseUrl.slice("file:".length).split("?")[0]);
    try {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      if (db.prepare(`SELECT 1 FROM "User" WHERE "id" = 'fill-user-1'`).get()) throw new Error("This database holds a fill already.");
      timings = await fillDatabase(async (sql) => db.exec(sql), "sqlite", size, now, passwordHash);
      db.pragma("wal_checkpoint(TRUNCATE)");
    } finally {
      db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rowCount } = await client.query(`SELECT 1 FROM "User" WHERE "id" = 'fill-user-1'`);
      if (rowCount) throw new Error("This database holds a fill already: give --fill a fresh one.");
      timings = await fillDatabase((sql) => client.query(sql), "postgresql", size, now, passwordHash);
      await client.query("ANALYZE");
    } finally {
      await client.end();
    }
  }
  return { ms: performance.now() - started, timings, bytes: await databaseBytes(databaseUrl) };
}
