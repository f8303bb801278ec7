/**
 * Test helpers: a real database built from the migrations, seeded directly with Prisma, and small
 * builders for token endpoint requests. Used by *.test.ts files, and by scripts/bench/in-process.ts. The database is a temporary
 * SQLite file; with TEST_POSTGRES_URL (`npm run test:postgres` sets it) it is a fresh PostgreSQL
 * database on that server instead, so the same tests run on both.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { Context } from "../../lib/oauth/context";
import type { TokenEndpointAuthMethod } from "../../lib/oauth/vocabulary";
import { parseConfig, type Config } from "../../lib/config";
import { eventRecorder } from "../../lib/event-recorder";
import { hashPassword, hashToken, randomToken } from "../../lib/crypto";
import { openDatabase, type Db } from "../../lib/db";
import { detachSqliteDirect } from "../../lib/records/hot-sql";
import { applyPostgresMigrations, POSTGRES_MIGRATIONS_DIR } from "../../scripts/postgres/migrations";
import { onPostgresServer } from "../../scripts/postgres-server.mjs";

const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));
const POSTGRES_MIGRATIONS_DIR_ABSOLUTE = fileURLToPath(new URL(`../../${POSTGRES_MIGRATIONS_DIR}`, import.meta.url));

export type TestDatabase = {
  db: Db;
  /** Its DATABASE_URL. */
  url: string;
  /** Disconnects and deletes the database. */
  close(): Promise<void>;
};

/** Creates a temporary database, applies every migration in order, and opens a Prisma client on it. */
export function createTestDatabase(): Promise<TestDatabase> {
  const server = process.env.TEST_POSTGRES_URL;
  return server ? createPostgresTestDatabase(server) : createSqliteTestDatabase();
}

async function createSqliteTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "authcode-lab-test-"));
  const file = path.join(dir, "test.db");
  const migrations = readdirSync(MIGRATIONS_DIR)
    .filter((name) => statSync(path.join(MIGRATIONS_DIR, name)).isDirectory())
    .sort();
  if (migrations.length === 0) throw new Error(`no migrations found in ${MIGRATIONS_DIR}`);
  const raw = new Database(file);
  try {
    for (const name of migrations) raw.exec(readFileSync(path.join(MIGRATIONS_DIR, name, "migration.sql"), "utf8"));
  } finally {
    raw.close();
  }
  const url = `file:${file}`;
  const db = await openDatabase(url);
  return {
    db,
    url,
    async close() {
      detachSqliteDirect(db);
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new, empty database on the server of `serverUrl`; returns its URL and a function that drops it. */
export async function createPostgresDatabase(serverUrl: string, prefix = "test"): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomToken(9)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;
  await onPostgresServer(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => onPostgresServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function createPostgresTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const { url, drop } = await createPostgresDatabase(serverUrl);
  await applyPostgresMigrations(url, { dir: POSTGRES_MIGRATIONS_DIR_ABSOLUTE });
  const db = await openDatabase(url);
  return {
    db,
    url,
    async close() {
      await db.$disconnect();
      await drop();
    },
  };
}

/** The default configuration (issuer http://localhost:3000), as parseConfig({}) gives it. */
/** The configuration of a unit test: as in development unless `env` says otherwise (NODE_ENV). */
export const testConfig = (env: Record<string, string> = {}): Config => parseConfig({ NODE_ENV: "test", ...env });

export const testContext = (db: Db, now: Date = new Date(), config: Config = testConfig()): Context => ({
  db,
  config,
  now,
  emit: eventRecorder(db),
});

export async function seedUser(db: Db, username = "alice", password = "alice-test-password") {
  return db.user.create({
    data: {
      username,
      passwordHash: await hashPassword(password),
      name: `${username} Example`,
      email: `${username}@example.com`,
      emailVerified: true,
    },
  });
}

export type SeedClient = {
  id: string;
  secret: string | null;
  authMethod: TokenEndpointAuthMethod;
  redirectUris: string[];
  scopes: string[];
  /** The stored policy (lib/authorization-server/client-policy.ts); default: every check. */
  policy?: string;
};

export async function seedClient(db: Db, client: SeedClient) {
  return db.client.create({
    data: {
      id: client.id,
      name: `${client.id} (test)`,
      secretHash: client.secret === null ? null : hashToken(client.secret),
      tokenEndpointAuthMethod: client.authMethod,
      redirectUris: JSON.stringify(client.redirectUris),
      allowedScopes: client.scopes.join(" "),
      ...(client.policy ? { policy: client.policy } : {}),
    },
  });
}

/** A PKCE pair (RFC 7636 §4.1, §4.2): a random verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomToken(32);
  return { verifier, challenge: createHash("sha256").update(verifier, "ascii").digest("base64url") };
}

export type InsertCode = {
  clientId: string;
  userId: string;
  redirectUri: string;
  scope: string;
  codeChallenge: string;
  nonce?: string | null;
  authTime?: Date;
  expiresAt: Date;
  correlationId?: string;
};

/** Inserts an AuthorizationCode row as the authorization endpoint would; returns the code and the row. */
export async function insertCode(db: Db, input: InsertCode) {
  const code = randomToken();
  const row = await db.authorizationCode.create({
    data: {
      codeHash: hashToken(code),
      correlationId: input.correlationId ?? randomToken(8),
      clientId: input.clientId,
      userId: input.userId,
      redirectUri: input.redirectUri,
      scope: input.scope,
      codeChallenge: input.codeChallenge,
      nonce: input.nonce ?? null,
      authTime: input.authTime ?? new Date(input.expiresAt.getTime() - 120_000),
      expiresAt: input.expiresAt,
    },
  });
  return { code, row };
}

export const TOKEN_URL = "http://localhost:3000/token";

/** The Basic credentials of RFC 6749 §2.3.1: id and secret form-urlencoded, joined by a colon, base64. */
export function basicAuth(id: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString("base64")}`;
}

/** A POST to the token endpoint with an urlencoded body. */
export function tokenRequest(params: Record<string, string>, options: { authorization?: string; url?: string } = {}): Request {
  const headers = new Headers({ "Content-Type": "application/x-www-form-urlencoded" });
  if (options.authorization) headers.set("Authorization", options.authorization);
  return new Request(options.url ?? TOKEN_URL, { method: "POST", headers, body: new URLSearchParams(params).toString() });
}
