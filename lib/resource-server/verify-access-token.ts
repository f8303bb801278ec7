import { jwtVerify } from "jose";
import { ACCESS_TOKEN_ALGORITHMS, ACCESS_TOKEN_TYP, type AccessTokenClaims } from "../oauth/access-token-jwt";
import type { ResourceServerContext } from "./context";
import { invalidToken } from "./errors";
import { tokenRefusal } from "./jose-errors";
import { cachedClaims, rememberClaims } from "./verified-tokens";

/** The clock skew allowed on exp and nbf. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** RFC 9068 §2.2: the claims checked after jose's, besides iss, exp and aud. */
const REQUIRED_STRINGS = ["sub", "client_id", "jti"] as const;

/**
 * RFC 9068 §4: validates a JWT access token: signature by the issuer's key (kid) with an accepted
 * algorithm, typ `at+jwt`, iss, aud = this API, exp and nbf within the skew, then the required claims
 * (RFC 9068 §2.2). The presence of exp and the other claims is checked after jose's checks, not by its
 * requiredClaims (which runs before iss), so that the checks run in the order validation-checks.ts shows.
 * A token verified before is answered from lib/resource-server/verified-tokens.ts until its exp.
 */
export async function verifyAccessToken(token: string, ctx: ResourceServerContext): Promise<AccessTokenClaims> {
  const { rsIssuer: issuer, apiAudience: audience } = ctx.config;
  const cached = await cachedClaims(ctx.keys, token, issuer, audience, ctx.now);
  if (cached) return cached;
  let payload;
  let kid: string | undefined;
  try {
    ({
      payload,
      protectedHeader: { kid },
    } = await jwtVerify(token, ctx.keys, {
      algorithms: ACCESS_TOKEN_ALGORITHMS,
      typ: ACCESS_TOKEN_TYP,
      issuer,
      audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: ctx.now,
    }));
  } catch (error) {
    throw tokenRefusal(error, token);
  }
  if (payload.exp === undefined) throw invalidToken("exp", "The token lacks the exp claim that RFC 9068 §2.2 requires.");
  for (const claim of [...REQUIRED_STRINGS, "iat"] as const) {
    if (payload[claim] === undefined) throw invalidToken("claims", `The token lacks the ${claim} claim that RFC 9068 §2.2 requires.`);
  }
  const { scope } = payload;
  if (REQUIRED_STRINGS.some((claim) => typeof payload[claim] !== "string") || (scope !== undefined && typeof scope !== "string")) {
    throw invalidToken("claims", "The token's sub, client_id, jti or scope claim is not a string (RFC 9068 §2.2).");
  }
  if (kid) rememberClaims(ctx.keys, token, issuer, audience, kid, payload as AccessTokenClaims);
  return payload as AccessTokenClaims;
}
