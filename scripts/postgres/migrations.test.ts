import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { POSTGRES_MIGRATIONS_DIR, readMigrations, SQLITE_MIGRATIONS_DIR } from "./migrations";

/**
 * Every SQLite migration has a PostgreSQL counterpart of the same name (and no other exists), so the
 * two histories advance together. That applying them gives the current schema is checked on a real
 * server by postgres.test.ts (`npm run test:postgres`).
 */
describe("the PostgreSQL migrations mirror the SQLite ones", () => {
  const sqlite = readMigrations(SQLITE_MIGRATIONS_DIR);
  const postgres = readMigrations(POSTGRES_MIGRATIONS_DIR);

  it("one folder of the same name for each SQLite migration (write it with `npm run db:postgres`)", () => {
    expect(sqlite.length).toBeGreaterThan(0);
    expect(postgres.map((m) => m.name)).toEqual(sqlite.map((m) => m.name));
  });

  it("are PostgreSQL's, not SQLite's", () => {
    expect(readFileSync(path.join(POSTGRES_MIGRATIONS_DIR, "migration_lock.toml"), "utf8")).toMatch(/^provider = "postgresql"$/m);
    for (const { name, sql } of postgres) {
      expect(sql, name).not.toMatch(/\bPRAGMA\b|\bDATETIME\b|\bAUTOINCREMENT\b/);
    }
  });

  it("carry over the hand-written data steps of the SQLite ones", () => {
    // Prisma writes DDL; an UPDATE or INSERT was added by hand and must be in both.
    const dataSteps = (sql: string) => sql.split("\n").filter((l) => /^\s*(UPDATE|INSERT INTO|DELETE FROM)\b/.test(l) && !/"new_/.test(l));
    for (const migration of sqlite) {
      const counterpart = postgres.find((m) => m.name === migration.name);
      expect(dataSteps(counterpart?.sql ?? ""), migration.name).toEqual(dataSteps(migration.sql));
    }
  });
});
