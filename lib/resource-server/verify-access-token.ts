import { jwtVerify } from "jose";
import type { AccessTokenClaims, ResourceServerContext } from "./context";
import { invalidToken } from "./errors";
import { tokenRefusal } from "./jose-errors";

/** RFC 8725 §3.1: only the algorithm the authorization server signs with; never `none`, never HMAC. */
export const ACCEPTED_ALGORITHMS = ["ES256"];
/** The clock skew allowed on exp and nbf. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * RFC 9068 §4: validates a JWT access token: signature by the issuer's key (kid) with an accepted
 * algorithm, typ `at+jwt`, iss, aud = this API, exp and nbf within the skew, and the required claims.
 */
export async function verifyAccessToken(token: string, ctx: ResourceServerContext): Promise<AccessTokenClaims> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, ctx.keys, {
      algorithms: ACCEPTED_ALGORITHMS,
      typ: "at+jwt",
      issuer: ctx.config.rsIssuer,
      audience: ctx.config.apiAudience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: ctx.now,
      requiredClaims: ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"],
    }));
  } catch (error) {
    throw tokenRefusal(error, token);
  }
  const { sub, client_id, jti, scope } = payload;
  if (typeof sub !== "string" || typeof client_id !== "string" || typeof jti !== "string" || (scope !== undefined && typeof scope !== "string")) {
    throw invalidToken("claims", "The token's sub, client_id, jti or scope claim is not a string (RFC 9068 §2.2).");
  }
  return payload as AccessTokenClaims;
}
