import * as oauth from "oauth4webapi";
import { authorize, dpopKeyPair, exchangeWithDpop, expect, obtainTokens, test } from "../support/fixtures";
import { discover, USERS, withNonce } from "../support/oauth";
import { startServer, type TestServer } from "../support/server";

/**
 * The protected API on another origin than its authorization server (RS_ISSUER): it finds the JWKS
 * through the issuer's metadata over HTTP and, with RS_REVOCATION_CHECK=introspection, learns of
 * revocation from RFC 7662 introspection instead of the shared database. A second API with its own
 * audience shows that a token for one API is refused by another (RFC 9068 §4, aud).
 */

// One worker runs this file's tests in order, so the two extra servers start once (fullyParallel would
// start them in every worker); unlike "serial", a failure does not skip the tests after it.
test.describe.configure({ mode: "default" });

let split: TestServer | undefined;
let otherApi: TestServer | undefined;
let issuer = "";

test.beforeAll(async ({}, testInfo) => {
  test.setTimeout(180_000);
  issuer = String(testInfo.project.use.baseURL).replace(/\/$/, "");
  [split, otherApi] = await Promise.all([
    // Trusts the main server's tokens, which are issued for the main server's API identifier.
    startServer({
      RS_ISSUER: issuer,
      API_AUDIENCE: `${issuer}/api`,
      RS_REVOCATION_CHECK: "introspection",
      RS_CORS_ORIGINS: "https://spa.example",
    }),
    // Trusts the same issuer but is another API: its audience is its own URL (the default).
    startServer({ RS_ISSUER: issuer, RS_REVOCATION_CHECK: "introspection" }),
  ]);
});

test.afterAll(async () => {
  await Promise.all([split?.stop(), otherApi?.stop()]);
});

const call = (base: string, path: string, token?: string) =>
  fetch(`${base}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

async function expectRefused(response: Response, description: RegExp) {
  expect(response.status).toBe(401);
  expect(await response.json()).toMatchObject({ error: "invalid_token", error_description: expect.stringMatching(description) });
  expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="[^"]+", error="invalid_token"/);
}

test("an API on another origin validates the issuer's tokens and sees a revocation through introspection", async ({ as }) => {
  const { tokens, backchannel } = await obtainTokens(as, "walkthrough", { user: USERS.alice, scope: "openid profile notes:read" });
  const ok = await call(split!.baseURL, "/api/notes", tokens.access_token);
  expect(ok.status).toBe(200);
  // The split API keeps its own notes: alice has none there.
  expect(await ok.json()).toEqual({ notes: [] });

  await backchannel.revoke(tokens.access_token, "access_token");
  await expectRefused(await call(split!.baseURL, "/api/notes", tokens.access_token), /no longer active/);
  // The main API sees the same revocation in its database.
  await expectRefused(await call(issuer, "/api/notes", tokens.access_token), /revoked/);
});

test("a DPoP-bound token works at the API on another origin, with that API's own nonce (RFC 9449 §7.1, §9)", async ({ as }) => {
  const flow = await authorize(as, "public-demo", { scope: "openid profile notes:read" });
  const { tokens, handle } = await exchangeWithDpop(as, flow, await dpopKeyPair());
  expect(tokens.token_type.toLowerCase()).toBe("dpop");
  // Run again when the API asks for its own nonce (oauth4webapi keeps it per origin).
  const { result: response } = await withNonce(() =>
    oauth.protectedResourceRequest(tokens.access_token, "GET", new URL(`${split!.baseURL}/api/notes`), undefined, undefined, {
      DPoP: handle,
      [oauth.allowInsecureRequests]: true,
    }),
  );
  expect(response.status).toBe(200);
  // As Bearer, the split API refuses it too.
  const bearer = await call(split!.baseURL, "/api/notes", tokens.access_token);
  expect(bearer.status).toBe(401);
  expect(bearer.headers.get("www-authenticate")).toMatch(/^DPoP realm="[^"]+", error="invalid_token"/);
});

test("a token for another API (wrong aud) is refused", async ({ as }) => {
  const { tokens } = await obtainTokens(as, "walkthrough", { user: USERS.bob, scope: "openid profile notes:read" });
  expect((await call(issuer, "/api/notes", tokens.access_token)).status).toBe(200);
  await expectRefused(await call(otherApi!.baseURL, "/api/notes", tokens.access_token), /audience is not this API/);
});

test("a token from an authorization server the API does not trust is refused (its key is not in the trusted JWKS)", async () => {
  const own = await discover(split!.baseURL);
  const { tokens } = await obtainTokens(own, "walkthrough", { user: USERS.alice, scope: "openid notes:read" });
  await expectRefused(await call(split!.baseURL, "/api/notes", tokens.access_token), /kid/);
});

test("RS_CORS_ORIGINS replaces the default: only the listed origin passes the preflight", async () => {
  const preflight = (origin: string) =>
    fetch(`${split!.baseURL}/api/notes`, {
      method: "OPTIONS",
      headers: { Origin: origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
    });
  expect((await preflight("https://spa.example")).headers.get("access-control-allow-origin")).toBe("https://spa.example");
  expect((await preflight(new URL(split!.baseURL).origin)).headers.get("access-control-allow-origin")).toBeNull();
});
