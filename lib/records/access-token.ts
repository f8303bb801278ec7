import { Prisma, type AccessToken, type PrismaClient } from "../generated/prisma/client";
import type { AccessTokenRecord, AccessTokenRecords } from "../oauth/access-token-record";
import { readRows } from "./hot-sql";

/**
 * The access tokens issued (AccessToken), by jti (RFC 9068 §2.2): the token itself is a signed JWT the
 * server does not keep; its row carries its revocation and its end.
 */

/** A token's record by jti (the resource server's revocation port, userinfo, introspection). A hot path: SQL run by hot-sql.ts. */
export async function accessTokenState(db: PrismaClient, jti: string): Promise<AccessTokenRecord | null> {
  const [row] = await readRows<AccessTokenRecord>(
    db,
    Prisma.sql`
    SELECT "revokedAt", "expiresAt", "correlationId" FROM "AccessToken" WHERE "jti" = ${jti}`,
  );
  return row ?? null;
}

/** The resource server's port (lib/oauth/access-token-record.ts) on the shared database: one read by primary key. */
export const accessTokenRecordsIn =
  (db: PrismaClient): AccessTokenRecords =>
  (jti) =>
    accessTokenState(db, jti);

export type NewAccessToken = Omit<AccessToken, "revokedAt" | "jkt"> & Partial<Pick<AccessToken, "jkt">>;

/** The row of a new token, as a statement of a transaction (grant.ts). */
export const insertAccessToken = (t: NewAccessToken) => Prisma.sql`
  INSERT INTO "AccessToken" ("jti", "grantId", "correlationId", "clientId", "userId", "scope", "jkt", "expiresAt", "createdAt")
  VALUES (${t.jti}, ${t.grantId}, ${t.correlationId}, ${t.clientId}, ${t.userId}, ${t.scope}, ${t.jkt ?? null}, ${t.expiresAt}, ${t.createdAt})`;

/** Revokes one live token; its row, or null when it was unknown or already revoked. */
export async function revokeAccessToken(db: PrismaClient, jti: string, now: Date): Promise<AccessToken | null> {
  const [row] = await db.accessToken.updateManyAndReturn({ where: { jti, revokedAt: null }, data: { revokedAt: now } });
  return row ?? null;
}

/** Revokes a grant's live tokens (all of them, or those issued at one instant), as a statement of a transaction or alone. */
export const revokeAccessTokensOfGrant = (db: PrismaClient, grantId: string, now: Date, issuedAt?: Date) =>
  db.accessToken.updateMany({
    where: { grantId, revokedAt: null, ...(issuedAt ? { createdAt: issuedAt } : {}) },
    data: { revokedAt: now },
  });

/** A run's access tokens, oldest first: what /api/flow-state shows. */
export function accessTokensOfRun(db: PrismaClient, where: { correlationId: string; clientId?: string }, take: number) {
  return db.accessToken.findMany({
    where,
    orderBy: { createdAt: "asc" },
    take,
    select: { jti: true, grantId: true, scope: true, createdAt: true, expiresAt: true, revokedAt: true },
  });
}

/** Ends a run's live tokens now (the instructor's "expire now"), as a statement of a transaction. */
export const expireAccessTokensOfRun = (
  db: PrismaClient,
  where: { correlationId: string; clientId?: string; userId?: string },
  now: Date,
) => db.accessToken.updateMany({ where: { ...where, revokedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });

/**
 * When a user's grants of each client were last used: the newest access token issued to that client for
 * that user, read from the index [userId, clientId, createdAt] alone (one seek per client).
 */
export async function lastIssuedAccessTokens(db: PrismaClient, userId: string, clientIds: string[]): Promise<Map<string, Date>> {
  const rows = await Promise.all(
    clientIds.map((clientId) =>
      db.accessToken.findFirst({
        where: { userId, clientId },
        orderBy: { createdAt: "desc" },
        select: { clientId: true, createdAt: true },
      }),
    ),
  );
  return new Map(rows.flatMap((r) => (r ? [[r.clientId, r.createdAt] as const] : [])));
}

/** Revokes a user's live tokens of one client, as a statement of a transaction (grant.ts). */
export const revokeAccessTokensOfUserClient = (db: PrismaClient, userId: string, clientId: string, now: Date) =>
  db.accessToken.updateMany({ where: { userId, clientId, revokedAt: null }, data: { revokedAt: now } });
