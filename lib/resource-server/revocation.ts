import type { AccessTokenClaims, ResourceServerContext } from "./context";
import { invalidToken } from "./errors";

/**
 * RFC 7009 §2 seen from the API: a token the authorization server revoked is refused. RS_REVOCATION_CHECK
 * picks how: `jti`, one indexed lookup of the token's AccessToken row in the shared database (absent or
 * revoked or past the row's expiry is refused); or `introspection`, RFC 7662 §2, one round trip to the authorization server.
 * Returns the flow's correlation id when the row says it.
 */
export async function checkNotRevoked(
  token: string,
  claims: AccessTokenClaims,
  ctx: ResourceServerContext,
): Promise<{ correlationId?: string }> {
  if (ctx.config.rsRevocationCheck === "introspection") {
    const result = await ctx.introspect(token);
    if (!result.active)
      throw invalidToken("revocation", "The authorization server says the token is no longer active: revoked (RFC 7662).");
    if (result.jti !== undefined && result.jti !== claims.jti)
      throw invalidToken("revocation", "The introspection answer is about another token (jti).");
    return {};
  }
  const row = await ctx.tokenRecords(claims.jti);
  if (!row) throw invalidToken("revocation", "The authorization server has no record of this token (jti).");
  if (row.revokedAt) throw invalidToken("revocation", "The token has been revoked.", row.correlationId);
  // The row's expiry is the JWT's exp, unless the instructor ended the token early (workshop "expire now"):
  // only then does the row decide; a natural expiry is the exp check's, with its allowance for clock skew.
  const endedEarly = claims.exp !== undefined && row.expiresAt.getTime() < claims.exp * 1000;
  if (endedEarly && row.expiresAt <= ctx.now)
    throw invalidToken("exp", "The token has expired (the authorization server ended it early).", row.correlationId);
  return { correlationId: row.correlationId };
}
