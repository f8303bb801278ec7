/**
 * `npm run db:migrate`: brings the database of DATABASE_URL up to date. SQLite: `prisma migrate deploy`
 * (after making the file's folder, which SQLite does not). PostgreSQL: scripts/postgres/migrations.ts,
 * which records in the same `_prisma_migrations` table.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { databaseProvider, DEFAULT_DATABASE_URL, redactDatabaseUrl, sqliteFilename } from "../lib/database-url";
import { applyPostgresMigrations, POSTGRES_MIGRATIONS_DIR } from "./postgres/migrations";

async function main() {
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (databaseProvider(url) === "sqlite") {
    const file = sqliteFilename(url);
    if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
    const deploy = spawnSync("npx", ["prisma", "migrate", "deploy"], { stdio: "inherit", env: { ...process.env, DATABASE_URL: url } });
    process.exit(deploy.status ?? 1);
  }
  const { applied, alreadyApplied } = await applyPostgresMigrations(url, { log: (line) => console.log(line) });
  console.log(
    `${redactDatabaseUrl(url)}: ${applied.length} migration(s) applied, ${alreadyApplied.length} already applied (${POSTGRES_MIGRATIONS_DIR}).`,
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
