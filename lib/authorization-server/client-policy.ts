import type { Config } from "../config";

/**
 * What a client's registration holds the authorization server to, check by check. Every client is held
 * to all of it. Only the lab's weakened client is registered with parts switched off (seeded in
 * LAB_MODE, lib/seed.ts), and they are honoured only while LAB_MODE is on: the checks read the policy
 * of the client they already hold, and know nothing of the lab.
 */
export type ClientPolicy = {
  /** RFC 6749 §3.1.2.3, RFC 9700 §4.1.3: the redirect URI is compared by exact string (off: by prefix). */
  exactRedirectUri: boolean;
  /** RFC 7636 §4.6: the token endpoint checks the code_verifier. */
  pkceVerified: boolean;
  /** RFC 6749 §4.1.2: a code is redeemed once, and a replay revokes what it produced. */
  singleUseCode: boolean;
  /** RFC 6749 §4.1.3: a code is redeemed only by the client it was issued to. */
  codeBoundToClient: boolean;
  /** RFC 9700 §4.14.2: a rotated refresh token is refused, and its reuse revokes the family. */
  rotateRefreshToken: boolean;
};

export const POLICY_CHECKS = ["exactRedirectUri", "pkceVerified", "singleUseCode", "codeBoundToClient", "rotateRefreshToken"] as const;

export const STRICT_POLICY: ClientPolicy = Object.freeze({
  exactRedirectUri: true,
  pkceVerified: true,
  singleUseCode: true,
  codeBoundToClient: true,
  rotateRefreshToken: true,
});

/** The stored form (`Client.policy`): the checks switched off, as `false`; anything else reads as strict. */
export function parsePolicy(stored: string): ClientPolicy {
  let relaxed: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(stored || "{}");
    if (parsed && typeof parsed === "object") relaxed = parsed as Record<string, unknown>;
  } catch {
    // Unreadable: strict.
  }
  return Object.freeze(Object.fromEntries(POLICY_CHECKS.map((check) => [check, relaxed[check] !== false])) as ClientPolicy);
}

export function serializePolicy(relaxed: Partial<ClientPolicy> = {}): string {
  return JSON.stringify(Object.fromEntries(POLICY_CHECKS.filter((check) => relaxed[check] === false).map((check) => [check, false])));
}

/** The policy in force: the client's own in LAB_MODE, strict otherwise, whatever its record says. */
export const policyOf = (config: Pick<Config, "labMode">, client: { policy: ClientPolicy }): ClientPolicy =>
  config.labMode ? client.policy : STRICT_POLICY;
