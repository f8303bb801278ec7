import * as oauth from "oauth4webapi";
import { expect, test } from "../support/fixtures";
import { runFrontChannel, UserAgent } from "../support/flow";
import {
  authorizationRequest,
  Backchannel,
  demoClient,
  discover,
  expectNoStore,
  USERS,
  type DemoClient,
  type DemoClientId,
} from "../support/oauth";
import { useServer } from "../support/server";

/**
 * RFC 7591 dynamic client registration at /oauth/register: advertised in the metadata, refusing unsafe
 * redirect URIs and malformed metadata, and the registered clients completing the code flow with
 * oauth4webapi, a confidential one (client_secret_basic, the default) and a public one (PKCE only).
 * The per-IP limit runs on a server of its own with REGISTRATION_MAX_PER_WINDOW=2.
 */

type Registered = {
  client_id: string;
  client_secret?: string;
  client_id_issued_at: number;
  client_secret_expires_at?: number;
  client_name: string;
  redirect_uris: string[];
  token_endpoint_auth_method: string;
  grant_types: string[];
  response_types: string[];
  scope: string;
};

const register = (issuer: string, body: unknown) =>
  fetch(`${issuer}/oauth/register`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

/** The registered client as oauth4webapi's client, with the authentication it registered. */
function asClient(info: Registered): DemoClient {
  const auth =
    info.token_endpoint_auth_method === "none"
      ? oauth.None()
      : info.token_endpoint_auth_method === "client_secret_post"
        ? oauth.ClientSecretPost(info.client_secret!)
        : oauth.ClientSecretBasic(info.client_secret!);
  return {
    id: info.client_id as DemoClientId,
    client: { client_id: info.client_id, token_endpoint_auth_method: info.token_endpoint_auth_method },
    auth,
    redirectUri: info.redirect_uris[0],
  };
}

test("both metadata documents advertise the registration endpoint", async ({ issuer }) => {
  for (const path of ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]) {
    const metadata = (await (await fetch(`${issuer}${path}`)).json()) as { registration_endpoint?: string };
    expect(metadata.registration_endpoint, path).toBe(`${issuer}/oauth/register`);
  }
});

test("a confidential client registers (201, no-store, the secret once), then completes the flow with oauth4webapi", async ({
  as,
  issuer,
}) => {
  const response = await register(issuer, {
    client_name: "Participant's server app",
    redirect_uris: ["https://client.example/cb", "http://127.0.0.1:8976/callback"],
  });
  expect(response.status).toBe(201);
  expectNoStore(response, "registration response");
  const info = (await response.json()) as Registered;
  expect(info).toMatchObject({
    client_name: "Participant's server app",
    token_endpoint_auth_method: "client_secret_basic",
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    scope: "openid profile email offline_access notes:read",
    client_secret_expires_at: 0,
  });
  expect(info.client_id).toMatch(/^[\w-]{20,}$/);
  expect(info.client_secret).toMatch(/^[\w-]{43}$/);
  expect(Math.abs(info.client_id_issued_at - Date.now() / 1000)).toBeLessThan(120);

  const client = asClient(info);
  const pending = await authorizationRequest(as, client, { scope: "openid profile offline_access notes:read" });
  const front = await runFrontChannel(new UserAgent(issuer), pending.url, client.redirectUri, { user: USERS.alice });
  expect(front.steps).toEqual(["login", "consent"]);
  const backchannel = new Backchannel(as, client);
  const tokens = await backchannel.exchange(backchannel.callback(front.callback, pending.state), pending);
  expect(tokens.scope).toBe("openid profile offline_access notes:read");
  expect(oauth.getValidatedIdTokenClaims(tokens)!.aud).toBe(info.client_id);
  const refreshed = await backchannel.refresh(tokens.refresh_token!);
  expect(refreshed.access_token).toBeTruthy();

  // The secret is checked: a wrong one is invalid_client.
  const wrong = new Backchannel(as, { ...client, auth: oauth.ClientSecretBasic("not-the-secret") });
  const failed = await wrong.refreshRaw(refreshed.refresh_token!);
  expect(failed.status).toBe(401);
});

test("a public client registers without a secret and exchanges the code with only client_id and PKCE", async ({ as, issuer }) => {
  const response = await register(issuer, {
    client_name: "Participant's SPA",
    redirect_uris: ["http://127.0.0.1:8976/callback"],
    token_endpoint_auth_method: "none",
    grant_types: ["authorization_code"],
    scope: "openid notes:read notes:write",
  });
  expect(response.status).toBe(201);
  const info = (await response.json()) as Registered;
  expect(info).not.toHaveProperty("client_secret");
  expect(info).toMatchObject({
    token_endpoint_auth_method: "none",
    grant_types: ["authorization_code"],
    scope: "openid notes:read notes:write",
  });

  const client = asClient(info);
  const pending = await authorizationRequest(as, client, { scope: "openid notes:write" });
  const bob = new UserAgent(issuer);
  const front = await runFrontChannel(bob, pending.url, client.redirectUri, { user: USERS.bob });
  const backchannel = new Backchannel(as, client);
  const tokens = await backchannel.exchange(backchannel.callback(front.callback, pending.state), pending);
  expect(tokens.scope).toBe("openid notes:write");
  expect(tokens.refresh_token).toBeUndefined();

  // A scope outside the registration is refused at the authorization endpoint. The client registered
  // itself, so before the user has signed in the refusal is the server's own page (RFC 9700 §4.11.2);
  // for the signed-in user it goes back to the redirect URI.
  const outside = await authorizationRequest(as, client, { scope: "openid email" });
  const shown = await new UserAgent(issuer).get(outside.url);
  expect(shown.status).toBe(400);
  expect(shown.headers.get("location")).toBeNull();
  expect(await shown.text()).toContain("invalid_scope");
  const refused = await bob.get(outside.url);
  expect(new URL(refused.headers.get("location")!).searchParams.get("error")).toBe("invalid_scope");
});

test("no open redirector: a bad request for a self-registered client is not sent to its redirect URI before sign-in", async ({
  as,
  issuer,
}) => {
  const info = (await (
    await register(issuer, {
      client_name: "Landing page",
      redirect_uris: ["https://evil.example/landing"],
      token_endpoint_auth_method: "none",
    })
  ).json()) as Registered;
  for (const [scope, extra] of [
    ["openid admin", {}],
    ["openid", { prompt: "none" }],
    ["openid", { response_mode: "fragment" }],
  ] as [string, Record<string, string>][]) {
    const pending = await authorizationRequest(as, asClient(info), { scope, extra });
    const response = await new UserAgent(issuer).get(pending.url);
    expect(response.status, `${scope} ${JSON.stringify(extra)}`).toBe(400);
    expect(response.headers.get("location"), `${scope} ${JSON.stringify(extra)}`).toBeNull();
    expect(await response.text()).toContain("registered itself");
  }
  // A seeded client's errors still go back to it at once (its redirect URI is the server's own promise).
  const seeded = await authorizationRequest(as, demoClient("public-demo", issuer), { scope: "openid admin" });
  const back = await new UserAgent(issuer).get(seeded.url);
  expect(back.status).toBe(302);
  expect(new URL(back.headers.get("location")!).searchParams.get("error")).toBe("invalid_scope");
});

test("redirect URIs that read as something else, and names that pass for the server's own clients, are refused", async ({ issuer }) => {
  for (const uri of [
    "https://evil.example\\@127.0.0.1:3000/walkthrough/callback",
    "https://client.example/cb?code=x",
    "https://client.example/cb?iss=x",
    "https://Client.example/cb",
  ]) {
    const response = await register(issuer, { client_name: "Lookalike", redirect_uris: [uri] });
    expect(response.status, uri).toBe(400);
    expect(((await response.json()) as { error: string }).error, uri).toBe("invalid_redirect_uri");
  }
  for (const name of ["walkthrough client", "My app\u202Etxt.exe"]) {
    const response = await register(issuer, { client_name: name, redirect_uris: ["https://client.example/cb"] });
    expect(response.status, name).toBe(400);
    expect(((await response.json()) as { error: string }).error, name).toBe("invalid_client_metadata");
  }
});

test("unsafe redirect URIs are refused with invalid_redirect_uri, malformed metadata with invalid_client_metadata", async ({ issuer }) => {
  for (const uri of [
    "javascript:alert(1)",
    "data:text/html,hi",
    "/callback",
    "https://client.example/cb#frag",
    "http://client.example/cb",
  ]) {
    const response = await register(issuer, { client_name: "Bad", redirect_uris: [uri] });
    expect(response.status, uri).toBe(400);
    expectNoStore(response, "registration error");
    expect(((await response.json()) as { error: string }).error, uri).toBe("invalid_redirect_uri");
  }
  for (const body of [
    { redirect_uris: ["https://client.example/cb"] },
    { client_name: "x", redirect_uris: ["https://client.example/cb"], response_types: ["token"] },
    { client_name: "x", redirect_uris: ["https://client.example/cb"], token_endpoint_auth_method: "private_key_jwt" },
    { client_name: "x", redirect_uris: ["https://client.example/cb"], scope: "admin" },
    "not an object",
  ]) {
    const response = await register(issuer, body);
    expect(response.status, JSON.stringify(body)).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_client_metadata");
  }
  const form = await fetch(`${issuer}/oauth/register`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "client_name=x",
  });
  expect(form.status).toBe(400);
});

test.describe("the per-IP limit", () => {
  test.describe.configure({ mode: "serial" });
  const server = useServer({ REGISTRATION_MAX_PER_WINDOW: "2" });

  test("after REGISTRATION_MAX_PER_WINDOW registrations, 429 with a JSON error and Retry-After", async () => {
    const { baseURL } = server();
    const body = { client_name: "Flood", redirect_uris: ["https://client.example/cb"] };
    for (let i = 0; i < 2; i++) expect((await register(baseURL, body)).status).toBe(201);
    const limited = await register(baseURL, body);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("600");
    expectNoStore(limited, "rate-limited registration");
    expect(await limited.json()).toMatchObject({ error: "temporarily_unavailable" });
    // The limited server still serves its metadata and its registered clients.
    expect((await discover(baseURL)).registration_endpoint).toBe(`${baseURL}/oauth/register`);
  });
});

test.describe("limits that hold (TRUST_PROXY_HOPS unset: the socket's address)", () => {
  test.describe.configure({ mode: "serial" });
  const server = useServer({ REGISTRATION_MAX_PER_WINDOW: "5", TEST_MODE: "on" });
  const reset = (baseURL: string) =>
    fetch(`${baseURL}/api/test/reset`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
  const body = { client_name: "Flood", redirect_uris: ["https://client.example/cb"] };
  const registerAs = (baseURL: string, forwardedFor: string) =>
    fetch(`${baseURL}/oauth/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Forwarded-For": forwardedFor },
      body: JSON.stringify(body),
    });

  test("30 registrations with 30 invented X-Forwarded-For values do not all succeed: the limit is the address's", async () => {
    const { baseURL } = server();
    expect((await reset(baseURL)).ok).toBe(true);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await registerAs(baseURL, `198.51.100.${i + 1}`)).status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
  });

  test("a burst of 20 parallel registrations: no more than the limit get through", async () => {
    const { baseURL } = server();
    expect((await reset(baseURL)).ok).toBe(true);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => registerAs(baseURL, `203.0.113.${i + 1}`).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 201 || s === 429)).toBe(true);
  });
});

test.describe("behind one trusted proxy (TRUST_PROXY_HOPS=1)", () => {
  const server = useServer({ REGISTRATION_MAX_PER_WINDOW: "2", REGISTRATION_MAX_TOTAL_PER_WINDOW: "5", TRUST_PROXY_HOPS: "1" });
  const body = { client_name: "Room", redirect_uris: ["https://client.example/cb"] };
  const registerAs = (baseURL: string, forwardedFor: string) =>
    fetch(`${baseURL}/oauth/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Forwarded-For": forwardedFor },
      body: JSON.stringify(body),
    });

  test("the address the proxy appended counts, what the client wrote before it does not; and all addresses together have a cap", async () => {
    const { baseURL } = server();
    // One client varies what it writes; the proxy appends its real address, 192.0.2.1: two pass.
    const one = [];
    for (let i = 0; i < 4; i++) one.push((await registerAs(baseURL, `10.9.9.${i}, 192.0.2.1`)).status);
    expect(one).toEqual([201, 201, 429, 429]);
    // Other addresses register until the overall cap of 5.
    const others = [];
    for (let i = 2; i < 7; i++) others.push((await registerAs(baseURL, `192.0.2.${i}`)).status);
    expect(others).toEqual([201, 201, 201, 429, 429]);
  });
});
