import { decodeJwt, decodeProtectedHeader } from "jose";
import { tokenPreview } from "./mask";

/**
 * Reading a JWT for the learner: its header and claims, each with one line that says what it is for.
 * Decoding is not validating: the client validates the ID token (id-token.ts); the access token is
 * opaque to the client (RFC 9068 §6) and is decoded here only to teach what the API will check.
 * @see RFC 7519 §7.2, RFC 9068 §2
 */

export type TokenKind = "access" | "id";

export type DecodedJwt = {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** The signature, masked: with it the token would be usable. */
  signature: string;
};

/** @see RFC 7519 §7.2: base64url-decoded header and claims; undefined when the token is not a JWT. */
export function decodeToken(token: string): DecodedJwt | undefined {
  try {
    const header = decodeProtectedHeader(token) as Record<string, unknown>;
    const claims = decodeJwt(token) as Record<string, unknown>;
    return { header, claims, signature: tokenPreview(token.split(".")[2] ?? "") };
  } catch {
    return undefined;
  }
}

/** @see RFC 7515 §4.1, RFC 9068 §2.1: the header parameters. */
export function explainHeader(name: string, kind: TokenKind): string {
  switch (name) {
    case "alg":
      return "Signing algorithm (ES256: ECDSA on P-256 with SHA-256). A verifier accepts only the algorithms it expects, never none.";
    case "typ":
      return kind === "access"
        ? "at+jwt marks an RFC 9068 access token, so it cannot be passed off as an ID token, or the reverse."
        : "A plain JWT: this is an ID token, for the client, not an access token for an API.";
    case "kid":
      return "Key ID: which of the authorization server's public keys (its JWKS) verifies the signature.";
    default:
      return "A header parameter this walkthrough does not explain.";
  }
}

/** @see RFC 7519 §4.1, RFC 9068 §2.2, OpenID Connect Core §2: the claims of our tokens. */
export function explainClaim(name: string, kind: TokenKind): string {
  switch (name) {
    case "iss":
      return "Issuer: the authorization server that made and signed the token; it must be the one the client and the API trust.";
    case "sub":
      return "Subject: the user the token is about, by their ID at the authorization server.";
    case "aud":
      return kind === "access"
        ? "Audience: the API this token is for; any other API must refuse it."
        : "Audience: the client this ID token is for (its client_id); any other client must refuse it.";
    case "exp":
      return "Expiry: after this instant the token must be refused.";
    case "iat":
      return "Issued at: when the authorization server made the token.";
    case "nbf":
      return "Not before: the token must be refused before this instant.";
    case "jti":
      return "JWT ID: unique per token, so the authorization server can look it up and revoke it.";
    case "client_id":
      return "The client the token was issued to.";
    case "scope":
      return "What the token allows, space-separated; the API checks the scope each endpoint needs.";
    case "auth_time":
      return "When the user last signed in at the authorization server.";
    case "nonce":
      return "The nonce the client sent in step 1, echoed back: this ID token answers this client's request, it is not replayed.";
    case "at_hash":
      return "Access token hash: left half of the access token's SHA-256, binding the ID token to the access token issued with it.";
    case "azp":
      return "Authorized party: the client the ID token was issued to.";
    default:
      return "A claim this walkthrough does not explain.";
  }
}

/** Numeric dates (RFC 7519 §2) are seconds since 1970. */
export const TIME_CLAIMS = new Set(["exp", "iat", "nbf", "auth_time"]);
