import { createHash } from "node:crypto";
import { constantTimeEqual } from "../crypto";
import { OAuthError } from "../oauth/errors";

/** RFC 7636 §4.1 and §4.2: 43 to 128 characters of the unreserved set. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** The S256 challenge: base64url of a SHA-256 digest, 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

/**
 * RFC 7636 §4.3 with RFC 9700 §2.1.1: every client sends a code_challenge, and only S256 is accepted
 * (a missing method means `plain`, which is refused).
 */
export function checkCodeChallenge(challenge: string | undefined, method: string | undefined): string {
  if (challenge === undefined)
    throw new OAuthError("invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256.");
  if (method !== "S256") {
    throw new OAuthError(
      "invalid_request",
      method === undefined || method === "plain"
        ? "code_challenge_method must be S256; plain is not accepted."
        : "code_challenge_method is not supported; use S256.",
    );
  }
  if (!S256_CHALLENGE.test(challenge)) throw new OAuthError("invalid_request", "code_challenge is not a valid S256 challenge.");
  return challenge;
}

/** RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) compared, in constant time, with the stored challenge. */
export function verifyCodeVerifier(verifier: string | undefined, challenge: string): void {
  if (verifier === undefined) throw new OAuthError("invalid_grant", "code_verifier is required (PKCE).");
  if (!VERIFIER.test(verifier)) throw new OAuthError("invalid_grant", "code_verifier is malformed.");
  const computed = createHash("sha256").update(verifier, "ascii").digest("base64url");
  if (!constantTimeEqual(computed, challenge)) throw new OAuthError("invalid_grant", "code_verifier does not match the code_challenge.");
}
