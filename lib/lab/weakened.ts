import type { Config } from "../config";
import { ALL_SCOPES } from "../authorization-server/scope";

/**
 * LAB MODE: the weaknesses of the lab's deliberately weakened client, each named here and switched
 * here only. Each is consulted at exactly one check (a one-line comment there points back to this
 * file), and is on only when `LAB_MODE` is on AND the client is the weakened lab client; for every
 * other client, and for every client when lab mode is off, the server is exactly as strict as without
 * this file. The weakened client is registered only in lab mode (lib/seed.ts).
 */

export const LAB_WEAKENED_CLIENT_ID = "lab-weakened";

/** The weakened client's registration (confidential, client_secret_post); its secret is a printed demo value. */
export const labWeakenedClient = (clientUrl: string) => ({
  id: LAB_WEAKENED_CLIENT_ID,
  name: "Weakened lab client (LAB MODE — insecure on purpose)",
  secret: "lab-weakened-demo-secret",
  authMethod: "client_secret_post" as const,
  // The lab plays the browser and stops at this redirect (as it does for the walkthrough's): no page serves it.
  redirectUris: [`${clientUrl}/lab/weakened/callback`],
  scopes: ALL_SCOPES,
});

/** Every weakness: where it lives, the lab card that shows it, and the defense it removes. */
export const WEAKNESSES = {
  "code-reusable": {
    card: "code-replay",
    where: "token endpoint (grants/authorization-code.ts)",
    removes: "one-time codes: a used code can be redeemed again, and the replay revokes nothing",
  },
  "pkce-unchecked": {
    card: "pkce",
    where: "token endpoint (grants/authorization-code.ts)",
    removes: "the code_verifier check: a code is redeemed with no verifier, a wrong one or the challenge itself",
  },
  "redirect-uri-prefix": {
    card: "redirect-uri",
    where: "authorization endpoint (authorize/index.ts, redirect-uri.ts)",
    removes: "exact redirect URI matching: any URI that starts with a registered one is accepted",
  },
  "state-unchecked": {
    card: "state",
    where: "the lab's client (lib/lab/client.ts)",
    removes: "the client's state check: it accepts a response its browser never asked for",
  },
  "iss-unchecked": {
    card: "mix-up",
    where: "the lab's client (lib/lab/client.ts)",
    removes: "the client's iss check: it accepts a response naming another authorization server, or none",
  },
  "refresh-reuse-undetected": {
    card: "refresh-reuse",
    where: "token endpoint (grants/refresh-token.ts)",
    removes: "refresh token rotation: a rotated refresh token still works, and its reuse revokes nothing",
  },
  "naive-api": {
    card: "api-tokens",
    where: "a weakened copy of the API, /lab/weakened/api (lib/lab/weakened-api.ts)",
    removes: "the API's token checks: it trusts the token's own alg header and checks no aud, typ or exp",
  },
  "code-not-bound-to-client": {
    card: "other-client",
    where: "token endpoint (grants/authorization-code.ts)",
    removes: "the code's binding to its client: any authenticated client may redeem the weakened client's code",
  },
} as const;

export type Weakness = keyof typeof WEAKNESSES;

/**
 * Whether `name` is switched off for `clientId`: only in lab mode, and only for the weakened lab client.
 * The single switch of every weakness.
 */
export function weakness(config: Pick<Config, "labMode">, clientId: string | null | undefined, name: Weakness): boolean {
  return config.labMode === true && clientId === LAB_WEAKENED_CLIENT_ID && Object.hasOwn(WEAKNESSES, name);
}

/** The weaknesses in force for `clientId` (none outside lab mode or for any other client). */
export function weaknessesOf(config: Pick<Config, "labMode">, clientId: string): ReadonlySet<Weakness> {
  return new Set((Object.keys(WEAKNESSES) as Weakness[]).filter((name) => weakness(config, clientId, name)));
}
