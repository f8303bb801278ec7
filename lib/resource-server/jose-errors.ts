import { decodeProtectedHeader, errors } from "jose";
import { ApiRefusal, AuthorizationServerUnavailable, invalidToken } from "./errors";

const SAFE = /^[A-Za-z0-9._+-]{1,32}$/;

/** What jose's claim failures (JWTClaimValidationFailed: claim and reason) mean for an access token. */
function claimRefusal(error: errors.JWTClaimValidationFailed): ApiRefusal {
  switch (error.claim) {
    case "typ":
      return invalidToken(
        "typ",
        "The token is not an access token (typ must be at+jwt): an ID token, say, is not accepted here (RFC 9068 §4).",
      );
    case "iss":
      return invalidToken("iss", "The token was not issued by the authorization server this API trusts (iss).");
    case "aud":
      return invalidToken("aud", "The token's audience is not this API (aud).");
    case "nbf":
      return invalidToken("nbf", "The token is not valid yet (nbf is in the future).");
  }
  const claim = SAFE.test(error.claim) ? error.claim : "a";
  return error.reason === "missing"
    ? invalidToken("claims", `The token lacks the ${claim} claim that RFC 9068 §2.2 requires.`)
    : invalidToken("claims", `The token's ${claim} claim is invalid.`);
}

function algRefusal(token: string): ApiRefusal {
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    /* named generically below */
  }
  if (alg === "none") return invalidToken("alg", "The token is not signed (alg none); only ES256 is accepted (RFC 8725 §3.1).");
  const named = typeof alg === "string" && SAFE.test(alg) ? `The token's algorithm ${alg}` : "The token's algorithm";
  return invalidToken("alg", `${named} is not allowed; only ES256 is accepted (RFC 8725 §3.1).`);
}

/**
 * RFC 6750 §3.1: every way jose can refuse a token becomes invalid_token (401) with a description that
 * names the failed check; an unreachable authorization server stays a 503. Codes: jose `util/errors.ts`.
 */
export function tokenRefusal(error: unknown, token: string): ApiRefusal {
  if (error instanceof ApiRefusal) return error;
  if (!(error instanceof errors.JOSEError)) throw error;
  switch (error.code) {
    case "ERR_JWT_EXPIRED":
      return invalidToken("exp", "The token has expired (exp, with 30 s of clock skew allowed).");
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      return claimRefusal(error as errors.JWTClaimValidationFailed);
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return algRefusal(token);
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return invalidToken("signature", "The token's signature does not verify with the authorization server's key.");
    case "ERR_JWKS_NO_MATCHING_KEY":
      return invalidToken("kid", "The token's signing key (kid) is not one the authorization server publishes.");
    case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
      return invalidToken("kid", "The token names no single signing key (kid).");
    case "ERR_JWT_INVALID":
    case "ERR_JWS_INVALID":
      return invalidToken("jwt", "The token is not a well-formed signed JWT.");
    case "ERR_JOSE_NOT_SUPPORTED":
      return invalidToken("jwt", "The token uses a JOSE feature this API does not support.");
    case "ERR_JWKS_TIMEOUT":
    case "ERR_JWKS_INVALID":
      return new AuthorizationServerUnavailable("JWKS", { cause: error });
    default:
      return invalidToken("jwt", "The token is invalid.");
  }
}
