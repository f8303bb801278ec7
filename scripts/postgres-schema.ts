/**
 * `npm run db:postgres`: keeps the PostgreSQL half in step after a change to prisma/schema.prisma and
 * its new SQLite migration. It writes prisma/postgres/schema.prisma from the SQLite schema
 * (scripts/postgres/schema.ts); for the SQLite migration that has no PostgreSQL counterpart yet, it writes
 * one of the same name, diffed by Prisma from the previous PostgreSQL schema to the new one (offline);
 * then it regenerates both clients. Hand-written steps of the SQLite migration (data updates) are not
 * carried over: copy them, and `npm run test:postgres` checks the result on a real server.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PRISMA_SCHEMA } from "../lib/database-url";
import { POSTGRES_MIGRATIONS_DIR, readMigrations, SQLITE_MIGRATIONS_DIR } from "./postgres/migrations";
import { postgresSchemaFrom } from "./postgres/schema";

const previous = existsSync(PRISMA_SCHEMA.postgresql) ? readFileSync(PRISMA_SCHEMA.postgresql, "utf8") : undefined;
const next = postgresSchemaFrom(readFileSync(PRISMA_SCHEMA.sqlite, "utf8"));
const mirrored = new Set(readMigrations(POSTGRES_MIGRATIONS_DIR).map((m) => m.name));
const missing = readMigrations(SQLITE_MIGRATIONS_DIR).filter((m) => !mirrored.has(m.name));

if (missing.length > 1) {
  console.error(
    `${missing.length} SQLite migrations have no PostgreSQL counterpart (${missing.map((m) => m.name).join(", ")}): ` +
      `run this once per migration, with prisma/schema.prisma as it was at each (git history).`,
  );
  process.exit(1);
}
if (missing.length === 1) {
  const [migration] = missing;
  const tmp = mkdtempSync(path.join(os.tmpdir(), "authcode-lab-schema-"));
  try {
    const to = path.join(tmp, "next.prisma");
    writeFileSync(to, next);
    const from = previous ? ["--from-schema-datamodel", path.join(tmp, "previous.prisma")] : ["--from-empty"];
    if (previous) writeFileSync(from[1], previous);
    // The diff of two datamodels needs no database, but prisma.config.ts opens its adapter anyway: a
    // throwaway SQLite file keeps it from connecting anywhere.
    const diff = spawnSync("npx", ["prisma", "migrate", "diff", ...from, "--to-schema-datamodel", to, "--script"], {
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: `file:${path.join(tmp, "unused.db")}` },
    });
    if (diff.status !== 0) throw new Error(`prisma migrate diff failed:\n${diff.stderr}`);
    mkdirSync(path.join(POSTGRES_MIGRATIONS_DIR, migration.name), { recursive: true });
    writeFileSync(path.join(POSTGRES_MIGRATIONS_DIR, migration.name, "migration.sql"), diff.stdout);
    console.log(`Wrote ${POSTGRES_MIGRATIONS_DIR}/${migration.name}/migration.sql. Copy any hand-written step of the SQLite one into it.`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
} else if (previous !== undefined && previous !== next) {
  console.warn(
    "warning: the schema changed but every SQLite migration already has its PostgreSQL counterpart: add the SQLite migration first.",
  );
}

writeFileSync(PRISMA_SCHEMA.postgresql, next);
console.log(`Wrote ${PRISMA_SCHEMA.postgresql} from ${PRISMA_SCHEMA.sqlite}.`);
const generate = spawnSync("node", ["scripts/generate-clients.mjs"], { stdio: "inherit" });
process.exit(generate.status ?? 1);
