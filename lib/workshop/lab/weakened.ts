import type { Config } from "../../config";

/**
 * LAB MODE: the weaknesses of the lab's deliberately weakened client, each named here with its card.
 * The authorization server's are data: the client's record carries a policy with those checks switched
 * off (`policy` below, lib/demo.ts, lib/authorization-server/client-policy.ts), which the server honours
 * only while `LAB_MODE` is on, and which no other client has. The lab's own (its client's state and iss
 * checks, the weakened API) are switched by `weakness()` here. The weakened client is registered only
 * in lab mode (lib/seed.ts); the authorization server imports nothing of this file.
 */

import { LAB_WEAKENED_CLIENT_ID } from "../../demo";

export { LAB_WEAKENED_CLIENT_ID, labWeakenedClient } from "../../demo";

/** Every weakness: where it lives, the lab card that shows it, and the defense it removes. */
export const WEAKNESSES = {
  "code-reusable": {
    card: "code-replay",
    policy: "singleUseCode",
    where: "token endpoint (grants/authorization-code.ts)",
    removes: "one-time codes: a used code can be redeemed again, and the replay revokes nothing",
  },
  "pkce-unchecked": {
    card: "pkce",
    policy: "pkceVerified",
    where: "token endpoint (grants/authorization-code.ts)",
    removes: "the code_verifier check: a code is redeemed with no verifier, a wrong one or the challenge itself",
  },
  "redirect-uri-prefix": {
    card: "redirect-uri",
    policy: "exactRedirectUri",
    where: "authorization endpoint (authorize/index.ts, redirect-uri.ts)",
    removes: "exact redirect URI matching: any URI that starts with a registered one is accepted",
  },
  "state-unchecked": {
    card: "state",
    where: "the lab's client (lib/workshop/lab/client.ts)",
    removes: "the client's state check: it accepts a response its browser never asked for",
  },
  "iss-unchecked": {
    card: "mix-up",
    where: "the lab's client (lib/workshop/lab/client.ts)",
    removes: "the client's iss check: it accepts a response naming another authorization server, or none",
  },
  "refresh-reuse-undetected": {
    card: "refresh-reuse",
    policy: "rotateRefreshToken",
    where: "token endpoint (grants/refresh-token.ts)",
    removes: "refresh token rotation: a rotated refresh token still works, and its reuse revokes nothing",
  },
  "naive-api": {
    card: "api-tokens",
    where: "a weakened copy of the API, /lab/weakened/api (lib/workshop/lab/weakened-api.ts)",
    removes: "the API's token checks: it trusts the token's own alg header and checks no aud, typ or exp",
  },
  "code-not-bound-to-client": {
    card: "other-client",
    policy: "codeBoundToClient",
    where: "token endpoint (grants/authorization-code.ts)",
    removes: "the code's binding to its client: any authenticated client may redeem the weakened client's code",
  },
  "request-in-the-link": {
    card: "par-tampering",
    where: "the lab's client (lib/workshop/lab/client.ts)",
    removes: "pushed requests: the weakened client puts its whole request in the link, where anyone on the way can change it",
  },
  "dpop-bound-as-bearer": {
    card: "stolen-token",
    where: "a weakened copy of the API, /lab/weakened/api (lib/workshop/lab/weakened-api.ts)",
    removes: "sender-constrained tokens: the weakened API takes a DPoP-bound token as a bearer token, with no proof",
  },
  "dpop-proof-unchecked": {
    card: "dpop-replay",
    where: "a weakened copy of the API, /lab/weakened/api (lib/workshop/lab/weakened-api.ts)",
    removes: "the proof's checks: the weakened API reads no DPoP proof, so neither a replayed jti nor a missing nonce is noticed",
  },
  "refresh-unbound": {
    card: "public-refresh",
    where: "the lab's client (lib/workshop/lab/client.ts)",
    removes: "DPoP: the public client of the weakened run asks for plain bearer tokens, so its refresh token works for whoever holds it",
  },
} as const;

export type Weakness = keyof typeof WEAKNESSES;

/**
 * Whether `name` is switched off for `clientId`: only in lab mode, and only for the weakened lab client.
 * The switch of the lab's own weaknesses; for the authorization server's (those with a `policy`), what
 * the weakened client's registered policy says, which the server reads from the client itself.
 */
export function weakness(config: Pick<Config, "labMode">, clientId: string | null | undefined, name: Weakness): boolean {
  return config.labMode === true && clientId === LAB_WEAKENED_CLIENT_ID && Object.hasOwn(WEAKNESSES, name);
}

/** The weaknesses in force for `clientId` (none outside lab mode or for any other client). */
export function weaknessesOf(config: Pick<Config, "labMode">, clientId: string): ReadonlySet<Weakness> {
  return new Set((Object.keys(WEAKNESSES) as Weakness[]).filter((name) => weakness(config, clientId, name)));
}
