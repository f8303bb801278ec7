import type { JWTPayload } from "jose";

/**
 * RFC 9068: the JWT profile of this deployment's access tokens, as both servers verify them: the
 * authorization server its own (UserInfo, introspection, revocation) with its keys in memory, the
 * resource server with the published JWKS. One profile, two key sources.
 */

/** RFC 8725 §3.1: the one algorithm the authorization server signs with; never `none`, never HMAC. */
export const ACCESS_TOKEN_ALGORITHMS = ["ES256"];

/** RFC 9449 §5.1 and §7.1: the algorithms a DPoP proof that binds an access token may use; ES256 only. */
export const DPOP_ALGORITHMS = ["ES256"];

/** RFC 9068 §2.1: the `typ` header of an access token. */
export const ACCESS_TOKEN_TYP = "at+jwt";

/** RFC 9068 §2.2: the claims of a verified access token. */
export type AccessTokenClaims = JWTPayload & {
  iss: string;
  sub: string;
  client_id: string;
  jti: string;
  scope?: string;
  /** RFC 9449 §6.1: a DPoP-bound token's confirmation: the SHA-256 thumbprint (RFC 7638) of the client's key. */
  cnf?: { jkt?: string };
};
