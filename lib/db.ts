import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { getConfig } from "./config";
import { databaseProvider, sqliteFilename } from "./database-url";
import { PrismaClient } from "./generated/prisma/client";
import { attachSqliteReader } from "./sqlite-reader";

/**
 * The database of every role. Each provider has its own generated client (lib/generated/prisma and
 * lib/generated/prisma-pg, from two schemas that differ only in their provider), with the same model
 * API; the code is typed against the SQLite one.
 */
export type Db = PrismaClient;

/** Opens a Prisma client on DATABASE_URL: `file:` for SQLite, `postgresql://` for PostgreSQL. */
export async function openDatabase(url: string): Promise<Db> {
  return databaseProvider(url) === "postgresql" ? openPostgres(url) : openSqlite(url);
}

/**
 * A SQLite file in WAL mode (readers never wait for the writer), with a read-only second connection for
 * the hot reads (lib/sqlite-reader.ts).
 */
async function openSqlite(url: string): Promise<Db> {
  const adapter = new PrismaBetterSQLite3({ url: sqliteFilename(url), timeout: 10_000 });
  const db = new PrismaClient({ adapter });
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  attachSqliteReader(db, sqliteFilename(url));
  return db;
}

/**
 * PostgreSQL through node-postgres (a pool of up to 10 connections per process), loaded only when
 * used. READ COMMITTED, PostgreSQL's default, is what the code relies on: each one-time use is a single
 * conditional UPDATE, which re-checks its condition on the row it waited for.
 */
async function openPostgres(url: string): Promise<Db> {
  const [{ PrismaPg }, { PrismaClient: PostgresClient }] = await Promise.all([
    import("@prisma/adapter-pg"),
    import("./generated/prisma-pg/client"),
  ]);
  const db = new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) });
  await db.$connect();
  // Same models, same methods: the two generated clients differ only in provider-specific options.
  return db as unknown as Db;
}

const globalForPrisma = globalThis as unknown as { authcodeLabDb?: Promise<Db> };

/** The one Prisma client of this process. */
export function getDb(): Promise<Db> {
  return (globalForPrisma.authcodeLabDb ??= openDatabase(getConfig().databaseUrl));
}
