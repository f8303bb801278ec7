import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { getConfig } from "./config";
import { sqliteFilename } from "./database-url";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;

/** Opens a Prisma client on a SQLite file in WAL mode (readers never wait for the writer). */
export async function openDatabase(url: string): Promise<PrismaClient> {
  const adapter = new PrismaBetterSQLite3({ url: sqliteFilename(url), timeout: 10_000 });
  const db = new PrismaClient({ adapter });
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  return db;
}

const globalForPrisma = globalThis as unknown as { authcodeLabDb?: Promise<PrismaClient> };

/** The one Prisma client of this process. */
export function getDb(): Promise<PrismaClient> {
  return (globalForPrisma.authcodeLabDb ??= openDatabase(getConfig().databaseUrl));
}
