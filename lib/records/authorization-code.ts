import { randomUUID } from "node:crypto";
import { Prisma, type AuthorizationCode, type PrismaClient } from "../generated/prisma/client";
import { writeRows } from "./hot-sql";

/**
 * The authorization codes (AuthorizationCode, RFC 6749 §4.1.2), stored by the SHA-256 of the code. A
 * code's id is the grant id of every token it produces (lib/records/grant.ts revokes them together).
 */

export type NewAuthorizationCode = Omit<AuthorizationCode, "id" | "consumedAt" | "revokedAt" | "dpopJkt"> &
  Partial<Pick<AuthorizationCode, "dpopJkt">>;

/** Stores a code; returns its id. A hot path: SQL run by hot-sql.ts. */
export async function insertAuthorizationCode(db: PrismaClient, code: NewAuthorizationCode): Promise<string> {
  const id = randomUUID();
  await writeRows(
    db,
    Prisma.sql`
    INSERT INTO "AuthorizationCode" ("id", "codeHash", "correlationId", "clientId", "userId", "redirectUri", "scope",
      "codeChallenge", "nonce", "dpopJkt", "authTime", "expiresAt", "createdAt")
    VALUES (${id}, ${code.codeHash}, ${code.correlationId}, ${code.clientId}, ${code.userId}, ${code.redirectUri}, ${code.scope},
      ${code.codeChallenge}, ${code.nonce}, ${code.dpopJkt ?? null}, ${code.authTime}, ${code.expiresAt}, ${code.createdAt})`,
  );
  return id;
}

export type ConsumedCode = Pick<
  AuthorizationCode,
  "id" | "correlationId" | "userId" | "redirectUri" | "scope" | "codeChallenge" | "nonce" | "authTime" | "dpopJkt"
>;

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
    RETURNING "id", "correlationId", "userId", "redirectUri", "scope", "codeChallenge", "nonce", "authTime", "dpopJkt"`,
  );
  return row ?? null;
}

/** A code's whole row, to tell why it could not be consumed. */
export function codeByHash(db: PrismaClient, codeHash: string): Promise<AuthorizationCode | null> {
  return db.authorizationCode.findUnique({ where: { codeHash } });
}

/** The run a presented code belongs to, if it is one of ours. */
export async function runOfCode(db: PrismaClient, codeHash: string): Promise<string | null> {
  return (await db.authorizationCode.findUnique({ where: { codeHash }, select: { correlationId: true } }))?.correlationId ?? null;
}

export async function markCodeConsumed(db: PrismaClient, id: string, now: Date): Promise<void> {
  await db.authorizationCode.update({ where: { id }, data: { consumedAt: now } });
}

/** The grant's row lock and revocation mark, as a statement of a transaction (grant.ts): the update changes nothing. */
export const lockGrant = (grantId: string) =>
  Prisma.sql`UPDATE "AuthorizationCode" SET "revokedAt" = "revokedAt" WHERE "id" = ${grantId} RETURNING "revokedAt"`;

export const revokeCode = (db: PrismaClient, grantId: string, now: Date) =>
  db.authorizationCode.updateMany({ where: { id: grantId, revokedAt: null }, data: { revokedAt: now } });

/** A run's codes, oldest first: what /api/flow-state shows (no code leaves whole: only its hash is read). */
export function codesOfRun(db: PrismaClient, where: { correlationId: string; clientId?: string }, take: number) {
  return db.authorizationCode.findMany({
    where,
    orderBy: { createdAt: "asc" },
    take,
    select: { id: true, codeHash: true, scope: true, createdAt: true, expiresAt: true, consumedAt: true, revokedAt: true },
  });
}

/** Ends a run's unconsumed, live codes now (the instructor's "expire now"), as a statement of a transaction. */
export const expireCodesOfRun = (db: PrismaClient, where: { correlationId: string; clientId?: string; userId?: string }, now: Date) =>
  db.authorizationCode.updateMany({ where: { ...where, consumedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });

/**
 * Revokes a user's live grants of one client, as a statement of a transaction (grant.ts): each code's
 * row lock and revocation mark, so tokens issued in a race see it (as lockGrant). Returns their ids and runs.
 */
export const revokeCodesOfUserClient = (db: PrismaClient, userId: string, clientId: string, now: Date) =>
  db.authorizationCode.updateManyAndReturn({
    where: { userId, clientId, revokedAt: null },
    data: { revokedAt: now },
    select: { id: true, correlationId: true },
  });
