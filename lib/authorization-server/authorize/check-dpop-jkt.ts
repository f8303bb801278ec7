import { OAuthError } from "../../oauth/errors";

/** An RFC 7638 SHA-256 thumbprint: base64url of 32 bytes, 43 characters. */
const JKT = /^[A-Za-z0-9_-]{43}$/;

/**
 * RFC 9449 §10: `dpop_jkt`, the thumbprint of the DPoP key the code will be bound to; kept on the
 * interaction and the code, and the token request must prove that key (grants/authorization-code.ts).
 */
export function checkDpopJkt(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!JKT.test(value)) throw new OAuthError("invalid_request", "dpop_jkt must be the base64url SHA-256 thumbprint of a JWK (RFC 7638).");
  return value;
}
