import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { oauthError, RFC_CHALLENGE, RFC_VERIFIER } from "../../test/support/pkce";
import { verifyCodeVerifier } from "./pkce";

describe("verifyCodeVerifier (RFC 7636 §4.6)", () => {
  it("accepts the RFC 7636 Appendix B verifier for its challenge", () => {
    expect(createHash("sha256").update(RFC_VERIFIER).digest("base64url")).toBe(RFC_CHALLENGE);
    expect(() => verifyCodeVerifier(RFC_VERIFIER, RFC_CHALLENGE)).not.toThrow();
  });

  it("accepts verifiers at the 43 and 128 character bounds using every unreserved character class", () => {
    for (const verifier of ["a".repeat(43), `${"Az09-._~".repeat(15)}abcdefgh`]) {
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      expect(() => verifyCodeVerifier(verifier, challenge)).not.toThrow();
    }
  });

  it("refuses a wrong verifier with invalid_grant", () => {
    const wrong = `${RFC_VERIFIER.slice(0, -1)}l`;
    const e = oauthError(() => verifyCodeVerifier(wrong, RFC_CHALLENGE));
    expect(e.code).toBe("invalid_grant");
    expect(e.status).toBe(400);
    expect(e.description).toBe("code_verifier does not match the code_challenge.");
  });

  it("refuses the challenge itself presented as the verifier (no plain fallback)", () => {
    const e = oauthError(() => verifyCodeVerifier(RFC_CHALLENGE, RFC_CHALLENGE));
    expect(e.code).toBe("invalid_grant");
  });

  it("refuses a missing verifier with invalid_grant", () => {
    const e = oauthError(() => verifyCodeVerifier(undefined, RFC_CHALLENGE));
    expect(e.code).toBe("invalid_grant");
    expect(e.description).toMatch(/required/);
  });

  it.each([
    ["too short (42 characters)", "a".repeat(42)],
    ["too long (129 characters)", "a".repeat(129)],
    ["a '+' character", `${RFC_VERIFIER.slice(0, -1)}+`],
    ["a '/' character", `${RFC_VERIFIER.slice(0, -1)}/`],
    ["a '=' character", `${RFC_VERIFIER}=`],
    ["a space", `${RFC_VERIFIER.slice(0, -1)} `],
    ["a non-ASCII character", `${RFC_VERIFIER.slice(0, -1)}é`],
  ])("refuses a malformed verifier: %s", (_label, verifier) => {
    // Even when the malformed verifier hashes to the stored challenge, the format check refuses it.
    const challenge = createHash("sha256").update(verifier, "ascii").digest("base64url");
    const e = oauthError(() => verifyCodeVerifier(verifier, challenge));
    expect(e.code).toBe("invalid_grant");
    expect(e.description).toBe("code_verifier is malformed.");
  });
});
