import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient, type RefreshToken } from "../generated/prisma/client";
import { writeRows } from "./hot-sql";

/**
 * The refresh tokens (RefreshToken, RFC 6749 §6), stored by the SHA-256 of the token; a grant's tokens
 * are a family (RFC 9700 §4.14.2): each rotation marks the used one and adds its successor.
 */

export type RotatedRefreshToken = Pick<RefreshToken, "grantId" | "correlationId" | "userId" | "scope" | "authTime" | "expiresAt" | "jkt">;

/**
 * Rotates a refresh token: one conditional update (this client's, neither rotated nor revoked, unexpired,
 * and unbound or bound to `jkt`, the key of the request's DPoP proof: RFC 9449 §5). A hot path: SQL.
 */
export async function rotateRefreshToken(
  db: PrismaClient,
  tokenHash: string,
  clientId: string,
  now: Date,
  jkt: string | null = null,
): Promise<RotatedRefreshToken | null> {
  const [row] = await writeRows<RotatedRefreshToken>(
    db,
    Prisma.sql`
    UPDATE "RefreshToken" SET "rotatedAt" = ${now}
    WHERE "tokenHash" = ${tokenHash} AND "clientId" = ${clientId} AND "rotatedAt" IS NULL AND "revokedAt" IS NULL AND "expiresAt" > ${now}
      AND ("jkt" IS NULL OR "jkt" = ${jkt})
    RETURNING "grantId", "correlationId", "userId", "scope", "authTime", "expiresAt", "jkt"`,
  );
  return row ?? null;
}

export type NewRefreshToken = Omit<RefreshToken, "id" | "rotatedAt" | "revokedAt" | "jkt"> & Partial<Pick<RefreshToken, "jkt">>;

/** The row of a new token, as a statement of a transaction (grant.ts). */
export const insertRefreshToken = (t: NewRefreshToken) => Prisma.sql`
  INSERT INTO "RefreshToken" ("id", "tokenHash", "grantId", "correlationId", "clientId", "userId", "scope", "authTime", "jkt", "expiresAt", "createdAt")
  VALUES (${randomUUID()}, ${t.tokenHash}, ${t.grantId}, ${t.correlationId}, ${t.clientId}, ${t.userId}, ${t.scope},
    ${t.authTime}, ${t.jkt ?? null}, ${t.expiresAt}, ${t.createdAt})`;

export function refreshTokenByHash(db: PrismaClient, tokenHash: string): Promise<RefreshToken | null> {
  return db.refreshToken.findUnique({ where: { tokenHash } });
}

/** The run a presented refresh token belongs to, if it is one of ours. */
export async function runOfRefreshToken(db: PrismaClient, tokenHash: string): Promise<string | null> {
  return (await db.refreshToken.findUnique({ where: { tokenHash }, select: { correlationId: true } }))?.correlationId ?? null;
}

/**
 * Revokes the successor a rotation at `rotatedAt` produced, if it was never used (one conditional
 * update, so of two retries one wins); true when it did. The rotation and the new rows share one instant.
 */
export async function revokeUnusedSuccessor(db: PrismaClient, grantId: string, rotatedAt: Date, now: Date): Promise<boolean> {
  const [successor] = await db.refreshToken.updateManyAndReturn({
    where: { grantId, createdAt: rotatedAt, rotatedAt: null, revokedAt: null },
    data: { revokedAt: now },
  });
  return !!successor;
}

export const revokeRefreshTokensOfGrant = (db: PrismaClient, grantId: string, now: Date) =>
  db.refreshToken.updateMany({ where: { grantId, revokedAt: null }, data: { revokedAt: now } });

/** A run's refresh tokens, oldest first: what /api/flow-state shows (only their hashes are read). */
export function refreshTokensOfRun(db: PrismaClient, where: { correlationId: string; clientId?: string }, take: number) {
  return db.refreshToken.findMany({
    where,
    orderBy: { createdAt: "asc" },
    take,
    select: { tokenHash: true, grantId: true, scope: true, createdAt: true, expiresAt: true, rotatedAt: true, revokedAt: true },
  });
}

/** Revokes the live refresh tokens of every grant a user gave one client, as a statement of a transaction (grant.ts). */
export const revokeRefreshTokensOfUserClient = (db: PrismaClient, userId: string, clientId: string, now: Date) =>
  db.$executeRaw(Prisma.sql`
    UPDATE "RefreshToken" SET "revokedAt" = ${now}
    WHERE "revokedAt" IS NULL AND "grantId" IN (SELECT "id" FROM "AuthorizationCode" WHERE "userId" = ${userId} AND "clientId" = ${clientId})`);
