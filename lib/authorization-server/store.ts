import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { readRows, writeRows, writeTransaction } from "../hot-sql";

/**
 * The statements of the authorization server's hot paths (authorize with a session, the code and
 * refresh grants), as SQL run by lib/hot-sql.ts: straight on better-sqlite3 on SQLite, through Prisma
 * on PostgreSQL. Everything else uses Prisma's model API.
 *
 * Why: Prisma 6's JavaScript engine compiles every model query, values included, in WebAssembly on
 * every call: a findUnique costs about 200 µs of CPU, the same SELECT sent as SQL through Prisma about
 * 50 µs, and as a prepared statement on better-sqlite3 a few (`npm run bench` shows the effect on each
 * endpoint; docs/performance.md).
 *
 * The SQL runs unchanged on SQLite and PostgreSQL (the unit tests run it on both, `npm run test:postgres`):
 * - identifiers are double-quoted, as Prisma names tables and columns; values are always bound;
 * - dates are bound as `Date`, stored as Prisma stores them (ISO 8601 text in UTC on SQLite, which
 *   compares in time order, and `timestamp(3)` on PostgreSQL), and read back as `Date`;
 * - a row inserted here sets the columns Prisma would fill in itself (`id`, `createdAt`);
 * - `UPDATE ... RETURNING` (SQLite 3.35+, PostgreSQL) keeps the conditional claim of a code or a
 *   refresh token one atomic statement.
 */

export type SessionRow = { id: string; userId: string; authTime: Date; expiresAt: Date };

export async function sessionByTokenHash(db: PrismaClient, tokenHash: string): Promise<SessionRow | null> {
  const [row] = await readRows<SessionRow>(
    db,
    Prisma.sql`
    SELECT "id", "userId", "authTime", "expiresAt" FROM "Session" WHERE "tokenHash" = ${tokenHash}`,
  );
  return row ?? null;
}

/** The scopes a user granted a client so far, or null. */
export async function consentScope(db: PrismaClient, userId: string, clientId: string): Promise<string | null> {
  const [row] = await readRows<{ scope: string }>(
    db,
    Prisma.sql`
    SELECT "scope" FROM "Consent" WHERE "userId" = ${userId} AND "clientId" = ${clientId}`,
  );
  return row?.scope ?? null;
}

export type NewAuthorizationCode = {
  codeHash: string;
  correlationId: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  scope: string;
  codeChallenge: string;
  nonce: string | null;
  authTime: Date;
  expiresAt: Date;
  createdAt: Date;
};

/** Stores a code; returns its id, which is the grant id of every token it produces. */
export async function insertAuthorizationCode(db: PrismaClient, code: NewAuthorizationCode): Promise<string> {
  const id = randomUUID();
  await writeRows(
    db,
    Prisma.sql`
    INSERT INTO "AuthorizationCode" ("id", "codeHash", "correlationId", "clientId", "userId", "redirectUri", "scope",
      "codeChallenge", "nonce", "authTime", "expiresAt", "createdAt")
    VALUES (${id}, ${code.codeHash}, ${code.correlationId}, ${code.clientId}, ${code.userId}, ${code.redirectUri}, ${code.scope},
      ${code.codeChallenge}, ${code.nonce}, ${code.authTime}, ${code.expiresAt}, ${code.createdAt})`,
  );
  return id;
}

export type ConsumedCode = {
  id: string;
  correlationId: string;
  userId: string;
  redirectUri: string;
  scope: string;
  codeChallenge: string;
  nonce: string | null;
  authTime: Date;
};

/**
 * Consumes a code: one conditional update (this client's, unconsumed, unexpired), so of N parallel
 * redemptions exactly one gets the row back.
 */
export async function consumeAuthorizationCode(
  db: PrismaClient,
  codeHash: string,
  clientId: string,
  now: Date,
): Promise<ConsumedCode | null> {
  const [row] = await writeRows<ConsumedCode>(
    db,
    Prisma.sql`
    UPDATE "AuthorizationCode" SET "consumedAt" = ${now}
    WHERE "codeHash" = ${codeHash} AND "clientId" = ${clientId} AND "consumedAt" IS NULL AND "expiresAt" > ${now}
    RETURNING "id", "correlationId", "userId", "redirectUri", "scope", "codeChallenge", "nonce", "authTime"`,
  );
  return row ?? null;
}

export type RotatedRefreshToken = {
  grantId: string;
  correlationId: string;
  userId: string;
  scope: string;
  authTime: Date;
  expiresAt: Date;
};

/** Rotates a refresh token: one conditional update (this client's, neither rotated nor revoked, unexpired). */
export async function rotateRefreshToken(
  db: PrismaClient,
  tokenHash: string,
  clientId: string,
  now: Date,
): Promise<RotatedRefreshToken | null> {
  const [row] = await writeRows<RotatedRefreshToken>(
    db,
    Prisma.sql`
    UPDATE "RefreshToken" SET "rotatedAt" = ${now}
    WHERE "tokenHash" = ${tokenHash} AND "clientId" = ${clientId} AND "rotatedAt" IS NULL AND "revokedAt" IS NULL AND "expiresAt" > ${now}
    RETURNING "grantId", "correlationId", "userId", "scope", "authTime", "expiresAt"`,
  );
  return row ?? null;
}

export type NewGrantTokens = {
  grantId: string;
  correlationId: string;
  clientId: string;
  userId: string;
  now: Date;
  access: { jti: string; scope: string; expiresAt: Date };
  refresh?: { tokenHash: string; scope: string; authTime: Date; expiresAt: Date };
};

/**
 * Stores an access token (and a refresh token) of a grant in one transaction, and says whether the
 * grant was revoked meanwhile. The first statement takes the grant's row lock and reads its revocation
 * mark: SQLite serializes writers anyway; on PostgreSQL (READ COMMITTED) a revocation that started
 * earlier is waited for and its mark is read, and one that starts later waits for this commit, so its
 * updates see these tokens. The update changes nothing.
 */
export async function insertGrantTokens(db: PrismaClient, t: NewGrantTokens): Promise<{ grantRevoked: boolean }> {
  const [[grant]] = await writeTransaction<[{ revokedAt: Date | null }[]]>(db, [
    Prisma.sql`UPDATE "AuthorizationCode" SET "revokedAt" = "revokedAt" WHERE "id" = ${t.grantId} RETURNING "revokedAt"`,
    Prisma.sql`
      INSERT INTO "AccessToken" ("jti", "grantId", "correlationId", "clientId", "userId", "scope", "expiresAt", "createdAt")
      VALUES (${t.access.jti}, ${t.grantId}, ${t.correlationId}, ${t.clientId}, ${t.userId}, ${t.access.scope}, ${t.access.expiresAt}, ${t.now})`,
    ...(t.refresh
      ? [
          Prisma.sql`
          INSERT INTO "RefreshToken" ("id", "tokenHash", "grantId", "correlationId", "clientId", "userId", "scope", "authTime", "expiresAt", "createdAt")
          VALUES (${randomUUID()}, ${t.refresh.tokenHash}, ${t.grantId}, ${t.correlationId}, ${t.clientId}, ${t.userId}, ${t.refresh.scope},
            ${t.refresh.authTime}, ${t.refresh.expiresAt}, ${t.now})`,
        ]
      : []),
  ]);
  return { grantRevoked: !!grant?.revokedAt };
}
