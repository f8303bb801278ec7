import { expect } from "vitest";
import { OAuthError } from "../../lib/oauth/errors";

/** RFC 7636 Appendix B: a code verifier and its S256 challenge. */
export const RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
export const RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/** Runs fn and returns the OAuthError it throws (fails the test if it does not throw one). */
export function oauthError(fn: () => unknown): OAuthError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthError);
    return error as OAuthError;
  }
  throw new Error("expected an OAuthError, nothing was thrown");
}
