import type { PrismaClient } from "../generated/prisma/client";
import { expireAccessTokensOfRun, insertAccessToken, revokeAccessTokensOfGrant, type NewAccessToken } from "./access-token";
import { expireCodesOfRun, lockGrant, revokeCode } from "./authorization-code";
import { writeTransaction } from "./hot-sql";
import { insertRefreshToken, revokeRefreshTokensOfGrant, type NewRefreshToken } from "./refresh-token";

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

/** Ends a run's unconsumed codes and live access tokens now (the instructor's "expire now"), in one transaction; how many of each. */
export function expireRun(db: PrismaClient, where: { correlationId: string; clientId?: string; userId?: string }, now: Date) {
  return db.$transaction([expireCodesOfRun(db, where, now), expireAccessTokensOfRun(db, where, now)]);
}
