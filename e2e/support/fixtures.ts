import { test as base, expect } from "@playwright/test";
import * as oauth from "oauth4webapi";
import { runFrontChannel, UserAgent, type Decision } from "./flow";
import {
  authorizationRequest,
  Backchannel,
  demoClient,
  discover,
  httpOptions,
  USERS,
  withNonce,
  type DemoClientId,
  type DemoUser,
  type PendingAuthorization,
} from "./oauth";

/**
 * `issuer`: the server under test (the one playwright.config.ts started, or BASE_URL);
 * `as`: its metadata, discovered by oauth4webapi.
 */
export const test = base.extend<{ issuer: string; as: oauth.AuthorizationServer }>({
  issuer: async ({ baseURL }, use) => {
    if (!baseURL) throw new Error("baseURL is not configured (playwright.config.ts).");
    await use(baseURL.replace(/\/$/, ""));
  },
  as: async ({ issuer }, use) => {
    await use(await discover(issuer));
  },
});

export { expect };

/** A complete front channel for one client: a fresh user agent, an authorization request, sign-in and consent. */
export async function authorize(
  as: oauth.AuthorizationServer,
  clientId: DemoClientId,
  options: { user?: DemoUser; decision?: Decision; scope?: string; extra?: Record<string, string>; agent?: UserAgent } = {},
) {
  const client = demoClient(clientId, as.issuer);
  const agent = options.agent ?? new UserAgent(as.issuer);
  const pending = await authorizationRequest(as, client, { scope: options.scope, extra: options.extra });
  const front = await runFrontChannel(agent, pending.url, pending.redirectUri, {
    user: options.user ?? USERS.alice,
    decision: options.decision,
  });
  const backchannel = new Backchannel(as, client);
  return { client, agent, pending, backchannel, ...front };
}

/** Front channel and code exchange: the tokens of one fresh grant. */
export async function obtainTokens(as: oauth.AuthorizationServer, clientId: DemoClientId, options: Parameters<typeof authorize>[2] = {}) {
  const flow = await authorize(as, clientId, options);
  const params = flow.backchannel.callback(flow.callback, flow.pending.state);
  const tokens = await flow.backchannel.exchange(params, flow.pending);
  return { ...flow, params, tokens };
}

/** A P-256 key pair for DPoP proofs (RFC 9449), its private key not extractable. */
export const dpopKeyPair = () =>
  crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]) as Promise<CryptoKeyPair>;

/**
 * A flow's code exchange with a DPoP proof of `keys` (RFC 9449 §5), run again when the server asks for
 * its nonce: the tokens, oauth4webapi's DPoP handle (it keeps the nonce) and how often a nonce was asked for.
 */
export async function exchangeWithDpop(
  as: oauth.AuthorizationServer,
  flow: Pick<Awaited<ReturnType<typeof authorize>>, "client" | "backchannel" | "callback" | "pending">,
  keys: CryptoKeyPair,
  checks: { requireIdToken?: boolean } = {},
) {
  const handle = oauth.DPoP(flow.client.client, keys);
  const params = flow.backchannel.callback(flow.callback, flow.pending.state);
  const { result: tokens, nonceAsked } = await withNonce(async () =>
    oauth.processAuthorizationCodeResponse(
      as,
      flow.client.client,
      await oauth.authorizationCodeGrantRequest(
        as,
        flow.client.client,
        flow.client.auth,
        params,
        flow.pending.redirectUri,
        flow.pending.codeVerifier,
        { ...httpOptions(as.token_endpoint), DPoP: handle },
      ),
      { expectedNonce: flow.pending.nonce, ...checks },
    ),
  );
  return { handle, tokens, nonceAsked };
}

export type { PendingAuthorization };
