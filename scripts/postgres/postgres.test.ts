/**
 * On a real PostgreSQL server (`npm run test:postgres` sets TEST_POSTGRES_URL; skipped without it):
 * the migrations give exactly the schema, the migration runner is safe to run from several instances
 * at once, and the grant's revocation holds under PostgreSQL's READ COMMITTED concurrency.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeGrant, issueTokens } from "../../lib/authorization-server/tokens";
import { PRISMA_SCHEMA } from "../../lib/database-url";
import { openDatabase, type Db } from "../../lib/db";
import { createPostgresDatabase, seedUser, testContext } from "../../test/support/db";
import { applyPostgresMigrations, POSTGRES_MIGRATIONS_DIR, readMigrations } from "./migrations";
import { STRICT_POLICY } from "../../lib/authorization-server/client-policy";

const server = process.env.TEST_POSTGRES_URL;

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The public schema as PostgreSQL's catalog describes it (column order aside), without Prisma's history table. */
async function describeSchema(url: string) {
  return withClient(url, async (client) => {
    const q = async (sql: string) => (await client.query(sql)).rows;
    return {
      columns: await q(`SELECT table_name, column_name, data_type, character_maximum_length, datetime_precision, is_nullable, column_default
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`),
      indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename, indexname`),
      constraints:
        await q(`SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations' ORDER BY 1, 2`),
      sequences: await q(`SELECT sequence_name, data_type FROM information_schema.sequences WHERE sequence_schema = 'public' ORDER BY 1`),
    };
  });
}

describe.skipIf(!server)("PostgreSQL: migrations", () => {
  const dropAfter: (() => Promise<void>)[] = [];
  const database = async () => {
    const created = await createPostgresDatabase(server!, "migrations");
    dropAfter.push(created.drop);
    return created.url;
  };
  afterAll(async () => {
    for (const drop of dropAfter) await drop();
  });

  it("applying every migration to an empty database gives exactly prisma/postgres/schema.prisma", async () => {
    const migrated = await database();
    await applyPostgresMigrations(migrated);

    // The schema as Prisma would create it from scratch. The diff of a datamodel needs no database, but
    // prisma.config.ts opens its adapter anyway: a throwaway SQLite file keeps it from connecting anywhere.
    const tmp = mkdtempSync(path.join(os.tmpdir(), "authcode-lab-diff-"));
    const diff = spawnSync(
      "npx",
      ["prisma", "migrate", "diff", "--from-empty", "--to-schema-datamodel", PRISMA_SCHEMA.postgresql, "--script"],
      {
        encoding: "utf8",
        env: { ...process.env, DATABASE_URL: `file:${path.join(tmp, "unused.db")}` },
      },
    );
    rmSync(tmp, { recursive: true, force: true });
    expect(diff.status, diff.stderr).toBe(0);
    const direct = await database();
    await withClient(direct, (client) => client.query(diff.stdout));

    const [fromMigrations, fromSchema] = await Promise.all([describeSchema(migrated), describeSchema(direct)]);
    expect(fromSchema.columns.length).toBeGreaterThan(50);
    expect(fromMigrations).toEqual(fromSchema);
  }, 60_000);

  it("records each migration once in _prisma_migrations, also when instances migrate at the same time", async () => {
    const url = await database();
    const runs = await Promise.all([applyPostgresMigrations(url), applyPostgresMigrations(url), applyPostgresMigrations(url)]);
    const names = readMigrations(POSTGRES_MIGRATIONS_DIR).map((m) => m.name);
    expect(
      runs
        .map((r) => r.applied)
        .flat()
        .sort(),
    ).toEqual(names);
    expect(await applyPostgresMigrations(url)).toEqual({ applied: [], alreadyApplied: names });
    const rows = await withClient(
      url,
      async (c) =>
        (await c.query(`SELECT migration_name, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`)).rows,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
  });

  it("rolls a failed migration back with its record, so that the fixed one applies on the next run", async () => {
    const url = await database();
    const dir = mkdtempSync(path.join(os.tmpdir(), "authcode-lab-migrations-"));
    try {
      const write = (name: string, sql: string) => {
        mkdirSync(path.join(dir, name), { recursive: true });
        writeFileSync(path.join(dir, name, "migration.sql"), sql);
      };
      write("1_ok", `CREATE TABLE "One" ("id" INTEGER PRIMARY KEY);`);
      write("2_broken", `CREATE TABLE "Two" ("id" INTEGER PRIMARY KEY);\nINSERT INTO "Missing" VALUES (1);`);
      await expect(applyPostgresMigrations(url, { dir })).rejects.toThrow(/2_broken failed and was rolled back: .*"Missing"/);
      const tables = async () =>
        withClient(url, async (c) =>
          (await c.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).rows.map(
            (r) => r.table_name,
          ),
        );
      expect(await tables()).toEqual(["One", "_prisma_migrations"]);

      write("2_broken", `CREATE TABLE "Two" ("id" INTEGER PRIMARY KEY);`);
      expect(await applyPostgresMigrations(url, { dir })).toEqual({ applied: ["2_broken"], alreadyApplied: ["1_ok"] });
      expect(await tables()).toEqual(["One", "Two", "_prisma_migrations"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!server)("PostgreSQL: a grant revoked while its tokens are being issued", () => {
  let url: string;
  let drop: () => Promise<void>;
  let a: Db;
  let b: Db;
  let userId: string;
  const client = {
    id: "race-client",
    name: "race",
    secretHash: null,
    authMethod: "none" as const,
    redirectUris: ["https://c.example/cb"],
    allowedScopes: ["openid", "offline_access"],
    isPublic: true,
    selfRegistered: false,
    requirePar: false,
    dpopBound: false,
    policy: STRICT_POLICY,
  };

  beforeAll(async () => {
    ({ url, drop } = await createPostgresDatabase(server!, "race"));
    await applyPostgresMigrations(url);
    // Two clients with their own connection pools: two instances of the app.
    [a, b] = await Promise.all([openDatabase(url), openDatabase(url)]);
    userId = (await seedUser(a)).id;
  });
  afterAll(async () => {
    await Promise.all([a?.$disconnect(), b?.$disconnect()]);
    await drop?.();
  });

  /** Backends of this database waiting for a lock. */
  const lockWaiters = (observer: pg.Client) =>
    observer
      .query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)
      .then((r) => r.rows[0].n as number);
  const until = async (condition: () => Promise<boolean>, ms = 5_000) => {
    for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20)))
      if (await condition()) return true;
    return false;
  };

  it("revokes the tokens issued between the revocation's start and its commit (replay or reuse racing a refresh)", async () => {
    const now = new Date();
    const code = await a.authorizationCode.create({
      data: {
        codeHash: `race-${now.getTime()}`,
        correlationId: "race",
        clientId: client.id,
        userId,
        redirectUri: client.redirectUris[0],
        scope: "openid offline_access",
        codeChallenge: "x",
        authTime: now,
        expiresAt: new Date(now.getTime() + 60_000),
        consumedAt: now,
      },
    });
    const grant = { grantId: code.id, correlationId: "race", userId, scope: "openid offline_access", authTime: now };
    // The grant's first tokens (the code exchange).
    await issueTokens(testContext(a, now), client, grant, { idToken: false });
    const [first] = await a.accessToken.findMany({ where: { grantId: code.id } });

    await withClient(url, async (holder) => {
      await withClient(url, async (observer) => {
        // Another transaction holds the first access token's row for a moment, so the revocation (a
        // replay of the code, or the reuse of a rotated refresh token) stops halfway: the grant is
        // marked, its access tokens not yet.
        await holder.query("BEGIN");
        await holder.query(`SELECT 1 FROM "AccessToken" WHERE "jti" = $1 FOR UPDATE`, [first.jti]);
        const revocation = revokeGrant(testContext(b, now), code.id);
        expect(await until(async () => (await lockWaiters(observer)) === 1)).toBe(true);

        // Meanwhile, on the other instance, a refresh of the same grant issues new tokens.
        let issued = false;
        const issuance = issueTokens(testContext(a, now), client, grant, { idToken: false }).then(() => {
          issued = true;
        });
        await until(async () => issued || (await lockWaiters(observer)) === 2, 1_000);
        await holder.query("ROLLBACK");
        await Promise.all([revocation, issuance]);
      });
    });

    const tokens = [
      ...(await a.accessToken.findMany({ where: { grantId: code.id } })),
      ...(await a.refreshToken.findMany({ where: { grantId: code.id } })),
    ];
    expect(tokens.length).toBe(4);
    expect(tokens.filter((t) => t.revokedAt === null)).toEqual([]);
  });
});
