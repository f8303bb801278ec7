/**
 * Applies prisma/postgres/migrations to a PostgreSQL database, as `prisma migrate deploy` would: each
 * migration folder in name order, once, recorded in Prisma's own `_prisma_migrations` table (same
 * columns, same SHA-256 checksum), so `prisma migrate status`/`deploy` read the same history.
 *
 * Why not `prisma migrate deploy` itself: with the pg driver adapter, Prisma 6.19's schema engine fails
 * before it applies anything (prisma/prisma#27403, "Column type 'name' could not be deserialized").
 *
 * Each migration runs in one transaction together with its record (PostgreSQL's DDL is transactional),
 * so a failed migration leaves no trace and can be fixed and run again. Prisma's advisory lock
 * serializes instances that migrate at the same start.
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

export const SQLITE_MIGRATIONS_DIR = "prisma/migrations";
export const POSTGRES_MIGRATIONS_DIR = "prisma/postgres/migrations";

/** The lock id Prisma Migrate takes (schema-engine's advisory lock), so the two never interleave. */
const PRISMA_ADVISORY_LOCK = 72707369;

/** Prisma's history table for PostgreSQL, column for column. */
const CREATE_HISTORY = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export type Migration = { name: string; sql: string; checksum: string };

/** The migration folders of `dir` (each with a migration.sql), in the order they apply. */
export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export type MigrateResult = { applied: string[]; alreadyApplied: string[] };

/** Applies the migrations of `dir` that the database at `url` has not recorded yet. */
export async function applyPostgresMigrations(
  url: string,
  { dir = POSTGRES_MIGRATIONS_DIR, log = () => {} }: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const migrations = readMigrations(dir);
  if (migrations.length === 0) throw new Error(`no migrations found in ${dir}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK]);
    await client.query(CREATE_HISTORY);
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }>(`SELECT "migration_name", "checksum", "finished_at", "rolled_back_at" FROM "_prisma_migrations" ORDER BY "started_at"`);
    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) {
      throw new Error(
        `The migration ${failed.migration_name} failed earlier (recorded unfinished in _prisma_migrations): fix the database, then mark it rolled back.`,
      );
    }
    const done = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r.checksum]));
    for (const name of done.keys()) {
      if (!migrations.some((m) => m.name === name)) log(`warning: the database has the migration ${name}, which is not in ${dir}.`);
    }
    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const checksum = done.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) log(`warning: ${migration.name} was modified after it was applied.`);
        result.alreadyApplied.push(migration.name);
        continue;
      }
      await client.query("BEGIN");
      try {
        const id = randomUUID();
        await client.query(`INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name") VALUES ($1, $2, $3)`, [
          id,
          migration.checksum,
          migration.name,
        ]);
        // No parameters: the simple query protocol runs the file's statements in order.
        await client.query(migration.sql);
        await client.query(`UPDATE "_prisma_migrations" SET "finished_at" = now(), "applied_steps_count" = 1 WHERE "id" = $1`, [id]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`The migration ${migration.name} failed and was rolled back: ${error instanceof Error ? error.message : error}`);
      }
      log(`applied ${migration.name}`);
      result.applied.push(migration.name);
    }
    return result;
  } finally {
    await client.end();
  }
}
