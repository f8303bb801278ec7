import { jwtVerify, errors, type JWTPayload, type JWTHeaderParameters } from "jose";
import { isDatabaseUnavailable } from "../database-unavailable";
import type { Context } from "../oauth/context";
import { ACCESS_TOKEN_ALGORITHMS, ACCESS_TOKEN_TYP, type AccessTokenClaims } from "../oauth/access-token-jwt";
import { getKeys } from "./keys";
import { OAuthError } from "../oauth/errors";
import { accessTokenState } from "../records/access-token";

/**
 * Verifies one of this server's own access tokens (RFC 9068 §4): our key by kid, ES256 only,
 * typ `at+jwt`, our issuer, unexpired, and not revoked (looked up by jti).
 */
export async function verifyOwnAccessToken(ctx: Context, token: string): Promise<{ claims: AccessTokenClaims; correlationId: string }> {
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(
      token,
      async (header: JWTHeaderParameters) => {
        let keys = await getKeys(ctx.db, { now: ctx.now });
        if (!header.kid || !keys.verifying.has(header.kid)) keys = await getKeys(ctx.db, { refresh: true, now: ctx.now });
        const key = header.kid && keys.verifying.get(header.kid);
        if (!key) throw new errors.JWKSNoMatchingKey();
        return key;
      },
      {
        issuer: ctx.config.issuer,
        algorithms: ACCESS_TOKEN_ALGORITHMS,
        typ: ACCESS_TOKEN_TYP,
        currentDate: ctx.now,
        requiredClaims: ["jti", "sub", "client_id", "exp"],
      },
    ));
  } catch (error) {
    // The keys could not be loaded: that is not the token's fault (503, lib/database-unavailable.ts).
    if (isDatabaseUnavailable(error)) throw error;
    throw new OAuthError("invalid_token", "The access token is invalid or expired.");
  }
  const row = await accessTokenState(ctx.db, String(claims.jti));
  if (!row || row.revokedAt) throw new OAuthError("invalid_token", "The access token has been revoked.");
  // The row's expiry is the JWT's exp, unless the instructor expired the token early ("expire now").
  if (row.expiresAt <= ctx.now) throw new OAuthError("invalid_token", "The access token has expired.");
  return { claims: claims as AccessTokenClaims, correlationId: row.correlationId };
}
