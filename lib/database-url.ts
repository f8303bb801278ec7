import path from "node:path";

/** The embedded default: a SQLite file under data/, relative to the working directory. */
export const DEFAULT_DATABASE_URL = "file:./data/authcode-lab.db";

export type DatabaseProvider = "sqlite" | "postgresql";

/** `file:` selects SQLite, `postgresql://` (or `postgres://`) PostgreSQL; anything else is refused. */
export function databaseProvider(url: string): DatabaseProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error(`DATABASE_URL must start with file: or postgresql:// (got ${JSON.stringify(url.slice(0, 20))})`);
}

/** The file path of a `file:` URL, resolved against the working directory (as the app and CLI both do). */
export function sqliteFilename(url: string): string {
  if (databaseProvider(url) !== "sqlite") throw new Error(`not a SQLite URL: ${JSON.stringify(url.slice(0, 20))}`);
  const file = url.slice("file:".length).split("?")[0];
  return file === ":memory:" ? file : path.resolve(file);
}

/** The Prisma schema of a provider: PostgreSQL's is derived from SQLite's (scripts/postgres/schema.ts). */
export const PRISMA_SCHEMA: Record<DatabaseProvider, string> = {
  sqlite: "prisma/schema.prisma",
  postgresql: "prisma/postgres/schema.prisma",
};

/** The URL without its password, for logs. */
export function redactDatabaseUrl(url: string): string {
  if (databaseProvider(url) === "sqlite") return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "****";
    return parsed.href;
  } catch {
    return "postgresql://(unparsable URL)";
  }
}
