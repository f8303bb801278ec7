import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OAuthError } from "../oauth/errors";
import { checkCodeChallenge, verifyCodeVerifier } from "./pkce";

/** RFC 7636 Appendix B. */
const RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/** Runs fn and returns the OAuthError it throws (fails the test if it does not throw one). */
function oauthError(fn: () => unknown): OAuthError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthError);
    return error as OAuthError;
  }
  throw new Error("expected an OAuthError, nothing was thrown");
}

describe("checkCodeChallenge (RFC 7636 §4.3, RFC 9700 §2.1.1)", () => {
  it("accepts a valid S256 challenge and returns it unchanged", () => {
    expect(checkCodeChallenge(RFC_CHALLENGE, "S256")).toBe(RFC_CHALLENGE);
  });

  it("refuses a missing code_challenge with invalid_request", () => {
    const e = oauthError(() => checkCodeChallenge(undefined, "S256"));
    expect(e.code).toBe("invalid_request");
    expect(e.status).toBe(400);
    expect(e.description).toMatch(/PKCE is required/);
  });

  it("refuses the plain method with invalid_request", () => {
    const e = oauthError(() => checkCodeChallenge(RFC_VERIFIER, "plain"));
    expect(e.code).toBe("invalid_request");
    expect(e.description).toMatch(/plain is not accepted/);
  });

  it("refuses a missing method (which means plain) with invalid_request", () => {
    const e = oauthError(() => checkCodeChallenge(RFC_CHALLENGE, undefined));
    expect(e.code).toBe("invalid_request");
    expect(e.description).toMatch(/must be S256/);
  });

  it("refuses an unknown method and a lowercase s256", () => {
    for (const method of ["S512", "s256", ""]) {
      const e = oauthError(() => checkCodeChallenge(RFC_CHALLENGE, method));
      expect(e.code).toBe("invalid_request");
    }
  });

  it.each([
    ["42 characters", RFC_CHALLENGE.slice(0, 42)],
    ["44 characters", `${RFC_CHALLENGE}A`],
    ["base64 padding", `${RFC_CHALLENGE.slice(0, 42)}=`],
    ["standard base64 '+'", `${RFC_CHALLENGE.slice(0, 42)}+`],
    ["standard base64 '/'", `${RFC_CHALLENGE.slice(0, 42)}/`],
    ["a verifier-only character '~'", `${RFC_CHALLENGE.slice(0, 42)}~`],
    ["a space", `${RFC_CHALLENGE.slice(0, 42)} `],
  ])("refuses a malformed challenge: %s", (_label, challenge) => {
    const e = oauthError(() => checkCodeChallenge(challenge, "S256"));
    expect(e.code).toBe("invalid_request");
    expect(e.description).toBe("code_challenge is not a valid S256 challenge.");
  });
});

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
