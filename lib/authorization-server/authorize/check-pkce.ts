import { OAuthError } from "../../oauth/errors";
import { correlationIdFor } from "../../events";
import type { Params } from "../params";

/** The S256 challenge: base64url of a SHA-256 digest, 43 characters. */
export const S256_CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

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

/** The run of the challenge a request carries, if it is one: its refusals then show among that run's events. */
export function runOfSentChallenge(params: Params): string | undefined {
  const challenge = params.get("code_challenge");
  return challenge && S256_CHALLENGE.test(challenge) ? correlationIdFor(challenge) : undefined;
}
