import type { PrismaClient } from "../generated/prisma/client";
import {
  expireAccessTokensOfRun,
  insertAccessToken,
  revokeAccessTokensOfGrant,
  revokeAccessTokensOfUserClient,
  type NewAccessToken,
} from "./access-token";
import { expireCodesOfRun, lockGrant, revokeCode, revokeCodesOfUserClient } from "./authorization-code";
import { deleteConsent } from "./consent";
import { writeTransaction } from "./hot-sql";
import { insertRefreshToken, revokeRefreshTokensOfGrant, revokeRefreshTokensOfUserClient, type NewRefreshToken } from "./refresh-token";

/**
 * A grant: the code and every token it produced, which share the code's id (RFC 9700 §4.14.2 and
 * RFC 6749 §4.1.2: a replayed code or a reused refresh token revokes the whole grant). The writes that
 * span the code's and the tokens' tables are composed here, in one transaction, from each table's own
 * statements.
 */

export type NewGrantTokens = {
  access: NewAccessToken;
  refresh?: NewRefreshToken;
};

/**
 * Stores an access token (and a refresh token) of a grant in one transaction, and says whether the
 * grant was revoked meanwhile. The first statement takes the grant's row lock and reads its revocation
 * mark: SQLite serializes writers anyway; on PostgreSQL (READ COMMITTED) a revocation that started
 * earlier is waited for and its mark is read, and one that starts later waits for this commit, so its
 * updates see these tokens. A hot path: SQL run by hot-sql.ts.
 */
export async function insertGrantTokens(db: PrismaClient, t: NewGrantTokens): Promise<{ grantRevoked: boolean }> {
  const [[grant]] = await writeTransaction<[{ revokedAt: Date | null }[]]>(db, [
    lockGrant(t.access.grantId),
    insertAccessToken(t.access),
    ...(t.refresh ? [insertRefreshToken(t.refresh)] : []),
  ]);
  return { grantRevoked: !!grant?.revokedAt };
}

/** Revokes a grant: its code and every token it produced, in one transaction. */
export async function revokeGrantRows(db: PrismaClient, grantId: string, now: Date): Promise<void> {
  await db.$transaction([
    revokeCode(db, grantId, now),
    revokeAccessTokensOfGrant(db, grantId, now),
    revokeRefreshTokensOfGrant(db, grantId, now),
  ]);
}

/**
 * Revokes everything a user granted one client, in one transaction: the consent is forgotten, and every
 * grant's code, access tokens and refresh tokens are revoked (the user's "Revoke access"). The codes go
 * first: their rows are the grants' locks, so a token issued in a race waits, then sees the mark and is
 * revoked (insertGrantTokens). Returns the grants revoked now (their runs) and how many tokens.
 */
export async function revokeUserClientRows(db: PrismaClient, userId: string, clientId: string, now: Date) {
  const [grants, accessTokens, refreshTokens, consents] = await db.$transaction([
    revokeCodesOfUserClient(db, userId, clientId, now),
    revokeAccessTokensOfUserClient(db, userId, clientId, now),
    revokeRefreshTokensOfUserClient(db, userId, clientId, now),
    deleteConsent(db, userId, clientId),
  ]);
  return { grants, accessTokens: accessTokens.count, refreshTokens, consentRemoved: consents.count > 0 };
}

/** Ends a run's unconsumed codes and live access tokens now (the instructor's "expire now"), in one transaction; how many of each. */
export function expireRun(db: PrismaClient, where: { correlationId: string; clientId?: string; userId?: string }, now: Date) {
  return db.$transaction([expireCodesOfRun(db, where, now), expireAccessTokensOfRun(db, where, now)]);
}
