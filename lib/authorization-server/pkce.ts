import { createHash } from "node:crypto";
import { constantTimeEqual } from "../crypto";
import { OAuthError } from "../oauth/errors";

/** RFC 7636 §4.1 and §4.2: 43 to 128 characters of the unreserved set. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) compared, in constant time, with the stored challenge. */
export function verifyCodeVerifier(verifier: string | undefined, challenge: string): void {
  if (verifier === undefined) throw new OAuthError("invalid_grant", "code_verifier is required (PKCE).");
  if (!VERIFIER.test(verifier)) throw new OAuthError("invalid_grant", "code_verifier is malformed.");
  const computed = createHash("sha256").update(verifier, "ascii").digest("base64url");
  if (!constantTimeEqual(computed, challenge)) throw new OAuthError("invalid_grant", "code_verifier does not match the code_challenge.");
}
