import * as oauth from "oauth4webapi";
import { expect, test } from "../support/fixtures";
import { runFrontChannel, UserAgent } from "../support/flow";
import {
  ALL_CLIENT_IDS,
  authorizationError,
  authorizationRequest,
  Backchannel,
  demoClient,
  discover,
  expectNoStore,
  FULL_SCOPE,
  httpOptions,
  oauthError,
  pushAuthorizationRequest,
  USERS,
  type DemoClient,
} from "../support/oauth";
import { useServer } from "../support/server";

/**
 * RFC 9126, pushed authorization requests, with oauth4webapi as the client: the request goes to
 * /oauth/par over the back channel, authenticated as at the token endpoint, and the front channel
 * carries only client_id and a one-time request_uri.
 */

/** RFC 7636 Appendix B's challenge: any well-formed one, where the code is never redeemed. */
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/** Pushes an authorization request and builds the short front-channel URL. */
const push = (as: oauth.AuthorizationServer, client: DemoClient, extra: Record<string, string> = {}) =>
  pushAuthorizationRequest(as, client, { extra });

/** A raw push, to see the endpoint's errors as they are. */
function rawPush(issuer: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${issuer}/oauth/par`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields),
  });
}

/** The error page of an authorization request that must not be redirected. */
async function expectErrorPage(response: Response, text: RegExp) {
  expect(response.status).toBe(400);
  expect(response.headers.get("location")).toBeNull();
  expect(await response.text()).toMatch(text);
}

for (const clientId of ALL_CLIENT_IDS) {
  test(`${clientId}: a pushed request, the short link, the code and the tokens`, async ({ as, issuer }) => {
    expect(as.pushed_authorization_request_endpoint).toBe(`${issuer}/oauth/par`);
    const client = demoClient(clientId, issuer);
    const pushed = await push(as, client, { prompt: "consent" });
    expect(pushed.requestUri).toMatch(/^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{32,}$/);
    expect(pushed.expiresIn).toBe(60);
    expect([...pushed.url.searchParams.keys()]).toEqual(["client_id", "request_uri"]);

    const front = await runFrontChannel(new UserAgent(issuer), pushed.url, pushed.redirectUri, { user: USERS.alice });
    expect(front.steps).toEqual(["login", "consent"]);
    const backchannel = new Backchannel(as, client);
    // The pushed state comes back: the request the server used is the one that was pushed.
    const params = backchannel.callback(front.callback, pushed.state);
    const tokens = await backchannel.exchange(params, pushed);
    expect(tokens.scope).toBe(FULL_SCOPE);
    expect(oauth.getValidatedIdTokenClaims(tokens)!.nonce).toBe(pushed.nonce);
  });
}

test("a request_uri is used once: the second use is an error page, not a redirect", async ({ as, issuer }) => {
  const client = demoClient("walkthrough", issuer);
  const pushed = await push(as, client);
  const agent = new UserAgent(issuer);
  expect((await agent.get(pushed.url)).status).toBe(302);
  await expectErrorPage(await agent.get(pushed.url), /unknown or was used already/);
});

test("a request_uri is bound to the client that pushed it", async ({ as, issuer }) => {
  const pushed = await push(as, demoClient("walkthrough", issuer));
  const other = new URL(pushed.url);
  other.searchParams.set("client_id", "public-demo");
  await expectErrorPage(await fetch(other, { redirect: "manual" }), /pushed by another client/);
  // Refused without being spent: its own client still uses it.
  expect((await fetch(pushed.url, { redirect: "manual" })).status).toBe(302);
});

test("a changed link is refused: scope or redirect_uri beside a request_uri", async ({ as, issuer }) => {
  const client = demoClient("walkthrough", issuer);
  const pushed = await push(as, client, { scope: "openid" });
  for (const [name, value] of [
    ["scope", FULL_SCOPE],
    ["redirect_uri", `${issuer}/walkthrough/callback?evil=1`],
    ["state", "attacker"],
  ]) {
    const tampered = new URL(pushed.url);
    tampered.searchParams.set(name, value);
    await expectErrorPage(
      await fetch(tampered, { redirect: "manual" }),
      new RegExp(`carries only client_id and request_uri; this one also has ${name}`),
    );
  }
  // The pushed request itself is still whole, with the scope that was pushed.
  const front = await runFrontChannel(new UserAgent(issuer), pushed.url, pushed.redirectUri, { user: USERS.alice });
  const tokens = await new Backchannel(as, client).exchange(new Backchannel(as, client).callback(front.callback, pushed.state), pushed);
  expect(tokens.scope).toBe("openid");
});

test("a request_uri the server did not issue is refused", async ({ issuer }) => {
  for (const requestUri of ["urn:ietf:params:oauth:request_uri:made-up", "https://attacker.example/request.jwt"]) {
    const url = new URL(`${issuer}/oauth/authorize`);
    url.search = new URLSearchParams({ client_id: "walkthrough", request_uri: requestUri }).toString();
    await expectErrorPage(await fetch(url, { redirect: "manual" }), /request_uri/);
  }
});

test.describe("the pushed authorization request endpoint's errors are JSON, never a redirect", () => {
  const valid = (issuer: string) => ({
    client_id: "public-demo",
    response_type: "code",
    redirect_uri: `${issuer}/walkthrough/callback`,
    scope: "openid",
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
  });

  test("the client authenticates as at the token endpoint", async ({ as, issuer }) => {
    const wrong = demoClient("walkthrough", issuer);
    wrong.auth = oauth.ClientSecretPost("not-the-secret");
    const failed = await oauthError(
      oauth
        .pushedAuthorizationRequest(as, wrong.client, wrong.auth, new URLSearchParams(valid(issuer)), httpOptions())
        .then((r) => oauth.processPushedAuthorizationResponse(as, wrong.client, r)),
    );
    expect(failed).toMatchObject({ error: "invalid_client", status: 401 });
    // A confidential client cannot push as if it were public.
    const response = await rawPush(issuer, { ...valid(issuer), client_id: "walkthrough" });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
  });

  test("each check of the authorization endpoint runs at the push", async ({ issuer }) => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ redirect_uri: "https://attacker.example/cb" }, "invalid_request", /redirect_uri is not registered/],
      [{ code_challenge: "" }, "invalid_request", /code_challenge/],
      [{ code_challenge_method: "plain" }, "invalid_request", /S256/],
      [{ scope: "openid admin" }, "invalid_scope", /admin/],
      [{ response_type: "token" }, "unsupported_response_type", /code/],
      [{ request_uri: "urn:ietf:params:oauth:request_uri:x" }, "invalid_request", /must not carry a request_uri/],
    ];
    for (const [change, error, description] of cases) {
      const response = await rawPush(issuer, { ...valid(issuer), ...change });
      expect(response.status, JSON.stringify(change)).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      expectNoStore(response, "a pushed authorization error");
      const body = (await response.json()) as { error: string; error_description: string };
      expect(body.error, JSON.stringify(change)).toBe(error);
      expect(body.error_description).toMatch(description);
    }
  });

  test("only POST", async ({ issuer }) => {
    const response = await fetch(`${issuer}/oauth/par`);
    expect(response.status).toBe(405);
  });
});

test("a client registered with require_pushed_authorization_requests must push", async ({ as, issuer }) => {
  const registered = await fetch(`${issuer}/oauth/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      client_name: "PAR only",
      redirect_uris: [`${issuer}/walkthrough/callback`],
      token_endpoint_auth_method: "none",
      require_pushed_authorization_requests: true,
    }),
  });
  expect(registered.status).toBe(201);
  const info = (await registered.json()) as { client_id: string; require_pushed_authorization_requests: boolean };
  expect(info.require_pushed_authorization_requests).toBe(true);
  const client: DemoClient = {
    id: "public-demo",
    client: { client_id: info.client_id, token_endpoint_auth_method: "none" },
    auth: oauth.None(),
    redirectUri: `${issuer}/walkthrough/callback`,
  };

  // Signed in (so that a self-registered client's error may go back to it), the plain request is refused.
  const agent = new UserAgent(issuer);
  const first = await push(as, demoClient("walkthrough", issuer));
  await runFrontChannel(agent, first.url, first.redirectUri, { user: USERS.alice });
  const plain = await authorizationRequest(as, client, { scope: "openid" });
  const refused = await agent.get(plain.url);
  expect(refused.status).toBe(302);
  const callback = new URL(refused.headers.get("location")!);
  expect(authorizationError(as, client, callback, plain.state)).toMatchObject({
    error: "invalid_request",
    description: expect.stringMatching(/requires pushed authorization requests/),
  });

  // Pushed, it goes through.
  const pushed = await push(as, client, { scope: "openid" });
  const front = await runFrontChannel(agent, pushed.url, pushed.redirectUri, { user: USERS.alice });
  expect(front.callback.searchParams.get("code")).toBeTruthy();

  const bad = await fetch(`${issuer}/oauth/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ client_name: "Bad", redirect_uris: [client.redirectUri], require_pushed_authorization_requests: "yes" }),
  });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toMatchObject({ error: "invalid_client_metadata" });
});

test.describe("REQUIRE_PAR=on", () => {
  const server = useServer({ REQUIRE_PAR: "on", TEST_MODE: "on" });

  test("every client must push; metadata says so; a pushed request expires after 60 seconds", async () => {
    const { baseURL } = server();
    const as = await discover(baseURL);
    expect(as.require_pushed_authorization_requests).toBe(true);
    const client = demoClient("walkthrough", baseURL);
    const plain = await authorizationRequest(as, client, { scope: "openid" });
    const refused = await fetch(plain.url, { redirect: "manual" });
    expect(refused.status).toBe(302);
    expect(authorizationError(as, client, new URL(refused.headers.get("location")!), plain.state)).toMatchObject({
      error: "invalid_request",
      description: expect.stringMatching(/This server requires pushed authorization requests/),
    });

    const pushed = await push(as, client);
    const front = await runFrontChannel(new UserAgent(baseURL), pushed.url, pushed.redirectUri, { user: USERS.alice });
    expect(front.callback.searchParams.get("code")).toBeTruthy();

    const late = await push(as, client);
    const clock = await fetch(`${baseURL}/api/test/clock`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ advanceSeconds: 61 }),
    });
    expect(clock.status).toBe(200);
    await expectErrorPage(await fetch(late.url, { redirect: "manual" }), /has expired/);
  });
});
