import { expect, test } from "@playwright/test";
import { createHash, randomUUID } from "node:crypto";
import { decodeProtectedHeader, exportJWK, SignJWT } from "jose";
import type * as oauth from "oauth4webapi";
import { e2ePostgresUrl } from "../support/database";
import { locationOf, runFrontChannel, signIn, UserAgent } from "../support/flow";
import { authorizationRequest, Backchannel, demoClient, discover, introspect, oauthError, USERS } from "../support/oauth";
import { startServer, type TestServer } from "../support/server";

/**
 * Two instances of the app on two ports sharing one PostgreSQL database, as behind a load balancer:
 * both have the same APP_URL (the issuer; here instance A's URL), and the test talks to each port
 * directly. Everything a request needs is in the database (sessions, interactions, codes, tokens,
 * signing keys, login attempts), so any step can land on either instance.
 */

test.skip(!e2ePostgresUrl(), "needs PostgreSQL: run `npm run test:postgres`");
// One worker runs this file's tests in order, so the two instances start once (as in resource-server-split).
test.describe.configure({ mode: "default" });

const LOGIN_MAX_FAILURES = 3;
let a: TestServer | undefined;
let b: TestServer | undefined;
/** The metadata of the one issuer, with its endpoints on instance A, and the same on instance B. */
let onA: oauth.AuthorizationServer;
let onB: oauth.AuthorizationServer;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const env = { LOGIN_MAX_FAILURES: String(LOGIN_MAX_FAILURES) };
  a = await startServer(env);
  b = await startServer({ ...env, APP_URL: a.baseURL }, { shareDatabaseWith: a });
  onA = await discover(a.baseURL);
  const origin = new URL(a.baseURL).origin;
  onB = Object.fromEntries(
    Object.entries(onA).map(([k, v]) => [
      k,
      k !== "issuer" && typeof v === "string" && v.startsWith(origin) ? b!.baseURL + v.slice(origin.length) : v,
    ]),
  ) as oauth.AuthorizationServer;
});

test.afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

const api = (base: string, token: string) => fetch(`${base}/api/me`, { headers: { Authorization: `Bearer ${token}` } });

const json = async (url: string) => (await fetch(url)).json();

test("both instances are one issuer: the same metadata and the same JWKS", async () => {
  expect(onA.issuer).toBe(a!.baseURL);
  const [metadataA, metadataB] = await Promise.all([a!, b!].map((s) => json(`${s.baseURL}/.well-known/openid-configuration`)));
  expect(metadataB).toEqual(metadataA);
  const [jwksA, jwksB] = await Promise.all([a!, b!].map((s) => json(`${s.baseURL}/oauth/jwks`)));
  expect(jwksA.keys.length).toBeGreaterThan(0);
  expect(jwksB).toEqual(jwksA);
});

test("a flow authorized on A completes on B (token on B, API on A), and B knows A's session", async () => {
  const client = demoClient("walkthrough", onA.issuer);
  const agent = new UserAgent(a!.baseURL);
  const pending = await authorizationRequest(onA, client);
  const front = await runFrontChannel(agent, pending.url, pending.redirectUri, { user: USERS.alice });
  expect(front.steps).toEqual(["login", "consent"]);

  const onBackB = new Backchannel(onB, client);
  const tokens = await onBackB.exchange(onBackB.callback(front.callback, pending.state), pending);
  const me = await api(a!.baseURL, tokens.access_token);
  expect(me.status).toBe(200);
  expect(await me.json()).toMatchObject({ preferred_username: "alice" });

  // The browser's session cookie from A is honoured by B (cookies do not depend on the port, and behind
  // a load balancer both share a host): no second login, no second consent, no sticky sessions needed.
  const again = await authorizationRequest(onB, client);
  expect(again.url.origin).toBe(new URL(b!.baseURL).origin);
  expect((await runFrontChannel(agent, again.url, again.redirectUri)).steps).toEqual([]);

  // Refresh on A, revoke on B: A's API refuses the revoked token.
  const refreshed = await new Backchannel(onA, client).refresh(tokens.refresh_token!);
  expect((await api(b!.baseURL, refreshed.access_token)).status).toBe(200);
  await onBackB.revoke(refreshed.refresh_token!, "refresh_token");
  expect((await api(a!.baseURL, refreshed.access_token)).status).toBe(401);
});

test("signing keys are shared: a token signed on A verifies on B, and one signed on B on A", async () => {
  const client = demoClient("walkthrough", onA.issuer);
  const agent = new UserAgent(a!.baseURL);
  const jwks = (await (await fetch(`${b!.baseURL}/oauth/jwks`)).json()) as { keys: { kid: string }[] };
  for (const [signer, verifier] of [
    [onA, onB],
    [onB, onA],
  ] as const) {
    const pending = await authorizationRequest(onA, client);
    const front = await runFrontChannel(agent, pending.url, pending.redirectUri, { user: USERS.bob });
    const signed = new Backchannel(signer, client);
    const tokens = await signed.exchange(signed.callback(front.callback, pending.state), pending);
    expect(jwks.keys.map((k) => k.kid)).toContain(decodeProtectedHeader(tokens.access_token).kid);
    // The other instance's authorization server checks the signature with its own key set, loaded from the database.
    const userinfo = await new Backchannel(verifier, client).userinfoRaw(tokens.access_token);
    expect(userinfo.status).toBe(200);
    const { sub } = (await userinfo.json()) as { sub: string };
    expect(await introspect(verifier, tokens.access_token)).toMatchObject({ active: true, sub });
  }
});

test("20 parallel redemptions of one code split across both instances: exactly one succeeds (10 rounds)", async () => {
  test.setTimeout(120_000);
  const client = demoClient("walkthrough", onA.issuer);
  const agent = new UserAgent(a!.baseURL);
  const instances = [new Backchannel(onA, client), new Backchannel(onB, client)];
  for (let round = 1; round <= 10; round++) {
    const pending = await authorizationRequest(onA, client);
    const front = await runFrontChannel(agent, pending.url, pending.redirectUri, { user: USERS.alice });
    const params = instances[0].callback(front.callback, pending.state);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => instances[i % 2].exchangeRaw(params, pending.redirectUri, pending.codeVerifier)),
    );
    const statuses = responses.map((r) => r.status);
    expect(
      statuses.filter((s) => s === 200),
      `round ${round}: ${statuses.join(" ")}`,
    ).toHaveLength(1);
    const errors = await Promise.all(
      responses.filter((r) => r.status !== 200).map(async (r) => [r.status, ((await r.json()) as { error: string }).error]),
    );
    expect(errors, `round ${round}`).toEqual(Array(19).fill([400, "invalid_grant"]));

    // The other 19 were replays, on both instances: what the one success produced is revoked everywhere.
    const winner = (await responses.find((r) => r.status === 200)!.json()) as { access_token: string; refresh_token: string };
    for (const as of [onA, onB]) expect(await introspect(as, winner.access_token), `round ${round}`).toEqual({ active: false });
    expect(await oauthError(instances[round % 2].refresh(winner.refresh_token))).toMatchObject({ error: "invalid_grant" });
  }
});

test("failed sign-ins are counted across instances (the rate limit is shared)", async () => {
  const client = demoClient("walkthrough", onA.issuer);
  // The sign-in form is posted to `instance`, from a page of the public origin (the issuer's).
  const failedSignIn = async (instance: TestServer, as: oauth.AuthorizationServer) => {
    const agent = new BalancedAgent(instance.baseURL, new URL(onA.issuer).origin);
    const pending = await authorizationRequest(as, client);
    const login = locationOf(await agent.get(pending.url), instance.baseURL);
    expect(login.pathname).toBe("/login");
    return (await signIn(agent, login, { username: "carol-does-not-exist", password: "wrong" })).searchParams.get("error");
  };
  for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
    expect(await (i % 2 ? failedSignIn(b!, onB) : failedSignIn(a!, onA))).toBe("invalid_credentials");
  }
  expect(await failedSignIn(a!, onA)).toBe("rate_limited");
  expect(await failedSignIn(b!, onB)).toBe("rate_limited");
});

test("DPoP across instances: A's nonce is B's, and a proof used on A is a replay on B (RFC 9449 §8, §11.1)", async () => {
  const keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = await exportJWK(keys.publicKey);
  const issuer = onA.issuer;
  const proof = (claims: Record<string, string>) =>
    new SignJWT({ iat: Math.floor(Date.now() / 1000), jti: randomUUID(), ...claims })
      .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk })
      .sign(keys.privateKey);
  const token = (instance: TestServer, form: Record<string, string>, dpop: string) =>
    fetch(`${instance.baseURL}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", DPoP: dpop },
      body: new URLSearchParams({ client_id: "public-demo", ...form }),
    });

  // A's nonce, from the answer to a proof without one.
  const asked = await token(
    a!,
    { grant_type: "refresh_token", refresh_token: "unknown" },
    await proof({ htm: "POST", htu: `${issuer}/oauth/token` }),
  );
  expect(await asked.json()).toMatchObject({ error: "use_dpop_nonce" });
  const nonce = asked.headers.get("dpop-nonce")!;

  // Authorized on A, redeemed on B with A's nonce.
  const client = demoClient("public-demo", issuer);
  const pending = await authorizationRequest(onA, client, { scope: "openid profile" });
  const front = await runFrontChannel(new UserAgent(a!.baseURL), pending.url, pending.redirectUri, { user: USERS.alice });
  const code = front.callback.searchParams.get("code")!;
  const redeemed = await token(
    b!,
    { grant_type: "authorization_code", code, redirect_uri: pending.redirectUri, code_verifier: pending.codeVerifier },
    await proof({ htm: "POST", htu: `${issuer}/oauth/token`, nonce }),
  );
  expect(redeemed.status).toBe(200);
  const { access_token, token_type } = (await redeemed.json()) as { access_token: string; token_type: string };
  expect(token_type).toBe("DPoP");

  // A proof served on A's API is refused as a replay on B's.
  const ath = createHash("sha256").update(access_token).digest("base64url");
  const dpop = await proof({ htm: "GET", htu: `${issuer}/api/me`, nonce, ath });
  const headers = { Authorization: `DPoP ${access_token}`, DPoP: dpop };
  expect((await fetch(`${a!.baseURL}/api/me`, { headers })).status).toBe(200);
  const replay = await fetch(`${b!.baseURL}/api/me`, { headers });
  expect(replay.status).toBe(401);
  expect(await replay.json()).toMatchObject({ error: "invalid_dpop_proof", error_description: expect.stringMatching(/used before/) });
});

/** A browser on the public origin whose form posts the load balancer sends to one instance. */
class BalancedAgent extends UserAgent {
  constructor(
    instance: string,
    private readonly publicOrigin: string,
  ) {
    super(instance);
  }

  override get origin() {
    return this.publicOrigin;
  }
}
