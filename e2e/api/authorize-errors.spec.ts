import type * as oauth from "oauth4webapi";
import { expect, test } from "../support/fixtures";
import { authorizationError, authorizationRequest, demoClient, type DemoClient, type PendingAuthorization } from "../support/oauth";

/**
 * The authorization endpoint's refusals (RFC 6749 §4.1.2.1, RFC 7636, RFC 9700). Until client_id and
 * redirect_uri are verified, an error is a page for the user and never a redirect; after that, it goes
 * back to the client with state and iss (RFC 9207).
 */

const send = (url: URL) => fetch(url, { redirect: "manual" });

/** A copy of the request's URL with some parameters replaced (undefined removes one). */
function withParams(url: URL, changes: Record<string, string | undefined>): URL {
  const copy = new URL(url);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) copy.searchParams.delete(name);
    else copy.searchParams.set(name, value);
  }
  return copy;
}

async function expectErrorPage(response: Response, code: string) {
  expect(response.status).toBe(400);
  expect(response.headers.get("location"), "an unverified redirect target is never redirected to").toBeNull();
  expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  expect(await response.text()).toContain(code);
}

async function expectErrorRedirect(
  as: oauth.AuthorizationServer,
  client: DemoClient,
  pending: PendingAuthorization,
  response: Response,
  code: string,
) {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location") ?? "");
  expect(`${location.origin}${location.pathname}`).toBe(pending.redirectUri);
  expect(location.searchParams.get("state"), "every error redirect carries state").toBe(pending.state);
  expect(location.searchParams.get("iss"), "every error redirect carries iss (RFC 9207)").toBe(as.issuer);
  expect(location.searchParams.has("code")).toBe(false);
  expect(authorizationError(as, client, location, pending.state).error).toBe(code);
}

test.describe("redirect_uri and client_id that do not verify: an error page, no redirect", () => {
  const variants: [string, (issuer: string) => string | undefined][] = [
    ["unregistered", () => "https://attacker.example/callback"],
    ["with a trailing slash", (issuer) => `${issuer}/walkthrough/callback/`],
    ["with an extra query parameter", (issuer) => `${issuer}/walkthrough/callback?next=/admin`],
    [
      "on a different port",
      (issuer) => {
        const u = new URL(`${issuer}/walkthrough/callback`);
        u.port = String(Number(u.port || 80) + 1);
        return u.href;
      },
    ],
    ["in a different case (path)", (issuer) => `${issuer}/walkthrough/Callback`],
    [
      "in a different case (scheme and host)",
      (issuer) => `${issuer.replace(/^[a-z]+:\/\/[^/]+/, (origin) => origin.toUpperCase())}/walkthrough/callback`,
    ],
    ["with a fragment", (issuer) => `${issuer}/walkthrough/callback#x`],
    ["of another client", (issuer) => `${issuer}/api/auth/callback/authcode-lab`],
    ["missing", () => undefined],
  ];
  for (const [name, redirectUri] of variants) {
    test(`redirect_uri ${name}`, async ({ as, issuer }) => {
      const pending = await authorizationRequest(as, demoClient("walkthrough", issuer));
      const uri = redirectUri(issuer);
      if (uri !== undefined) expect(uri).not.toBe(pending.redirectUri);
      await expectErrorPage(await send(withParams(pending.url, { redirect_uri: uri })), "invalid_request");
    });
  }

  test("an unregistered redirect_uri is refused even when other parameters are wrong too", async ({ as, issuer }) => {
    const pending = await authorizationRequest(as, demoClient("walkthrough", issuer));
    const url = withParams(pending.url, {
      redirect_uri: "https://attacker.example/callback",
      response_type: "token",
      code_challenge: undefined,
    });
    await expectErrorPage(await send(url), "invalid_request");
  });

  test("unknown client_id", async ({ as, issuer }) => {
    const pending = await authorizationRequest(as, demoClient("walkthrough", issuer));
    await expectErrorPage(await send(withParams(pending.url, { client_id: "no-such-client" })), "invalid_request");
  });

  test("missing client_id", async ({ as, issuer }) => {
    const pending = await authorizationRequest(as, demoClient("walkthrough", issuer));
    await expectErrorPage(await send(withParams(pending.url, { client_id: undefined })), "invalid_request");
  });

  // A repeated client_id or redirect_uri cannot be trusted, so that error stays on the page.
  for (const name of ["client_id", "redirect_uri"]) {
    test(`a repeated ${name}`, async ({ as, issuer }) => {
      const pending = await authorizationRequest(as, demoClient("walkthrough", issuer));
      const url = new URL(pending.url);
      url.searchParams.append(name, url.searchParams.get(name)!);
      await expectErrorPage(await send(url), "invalid_request");
    });
  }

  test("an oversized redirect_uri", async ({ as, issuer }) => {
    const pending = await authorizationRequest(as, demoClient("walkthrough", issuer));
    await expectErrorPage(
      await send(withParams(pending.url, { redirect_uri: `${issuer}/walkthrough/callback?${"x".repeat(5000)}` })),
      "invalid_request",
    );
  });
});

test.describe("errors after the client is verified: redirected with state and iss", () => {
  const cases: [string, Record<string, string | undefined>, string][] = [
    ["missing code_challenge (PKCE is required)", { code_challenge: undefined }, "invalid_request"],
    ["code_challenge_method=plain", { code_challenge_method: "plain" }, "invalid_request"],
    ["missing code_challenge_method (means plain)", { code_challenge_method: undefined }, "invalid_request"],
    ["unknown code_challenge_method", { code_challenge_method: "S512" }, "invalid_request"],
    ["a code_challenge that is not S256-shaped", { code_challenge: "too-short" }, "invalid_request"],
    ["response_type=token (implicit grant)", { response_type: "token" }, "unsupported_response_type"],
    ["response_type=code id_token (hybrid)", { response_type: "code id_token" }, "unsupported_response_type"],
    ["missing response_type", { response_type: undefined }, "invalid_request"],
    ["an unknown scope", { scope: "openid admin" }, "invalid_scope"],
    ["a scope that differs in case", { scope: "openid Profile" }, "invalid_scope"],
    ["an Object.prototype member as a scope", { scope: "openid constructor __proto__" }, "invalid_scope"],
    ["missing scope", { scope: undefined }, "invalid_scope"],
    ["response_mode=fragment", { response_mode: "fragment" }, "invalid_request"],
    ["an unknown prompt", { prompt: "select_account" }, "invalid_request"],
    ["prompt=none with another value", { prompt: "none login" }, "invalid_request"],
    ["a request object", { request: "eyJhbGciOiJub25lIn0.e30." }, "invalid_request"],
  ];
  for (const [name, changes, code] of cases) {
    test(`${name} -> ${code}`, async ({ as, issuer }) => {
      const client = demoClient("walkthrough", issuer);
      const pending = await authorizationRequest(as, client);
      await expectErrorRedirect(as, client, pending, await send(withParams(pending.url, changes)), code);
    });
  }

  // Once client_id and redirect_uri are verified, a repeated or oversized parameter goes back to the client.
  test("a repeated scope -> invalid_request", async ({ as, issuer }) => {
    const client = demoClient("walkthrough", issuer);
    const pending = await authorizationRequest(as, client);
    const url = new URL(pending.url);
    url.searchParams.append("scope", "openid");
    await expectErrorRedirect(as, client, pending, await send(url), "invalid_request");
  });

  test("an oversized nonce -> invalid_request", async ({ as, issuer }) => {
    const client = demoClient("walkthrough", issuer);
    const pending = await authorizationRequest(as, client);
    await expectErrorRedirect(as, client, pending, await send(withParams(pending.url, { nonce: "n".repeat(5000) })), "invalid_request");
  });

  test("the same checks by POST (OIDC Core §3.1.2.1)", async ({ as, issuer }) => {
    const client = demoClient("walkthrough", issuer);
    const pending = await authorizationRequest(as, client);
    const response = await fetch(as.authorization_endpoint!, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: withParams(pending.url, { code_challenge_method: "plain" }).searchParams,
    });
    await expectErrorRedirect(as, client, pending, response, "invalid_request");
  });
});
