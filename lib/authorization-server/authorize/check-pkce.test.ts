import { describe, expect, it } from "vitest";
import { oauthError, RFC_CHALLENGE, RFC_VERIFIER } from "../../../test/support/pkce";
import { checkCodeChallenge } from "./check-pkce";

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
