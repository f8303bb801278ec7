import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { createHash, randomBytes } from "node:crypto";

/**
 * The kit's OAuth helpers, for tests that point Playwright at authcode-lab. Self-contained (Playwright
 * and node:crypto only) so they can be copied into another project. Every token comes from the real
 * authorization code grant: the browser goes through the authorization server's own login and consent
 * pages, and the code is redeemed at the token endpoint with PKCE. Nothing is minted behind the
 * server's back.
 */

export type Account = { username: string; password: string };

/** The seeded demo user (README, "Demo credentials"): what the kit signs in as when a server has no test mode. */
export const DEMO_ACCOUNT: Account = { username: "alice", password: "alice-demo-password" };

/**
 * The seeded public client (PKCE, no secret) and its loopback redirect URI (RFC 8252 §7.3): nothing
 * listens there; the kit reads the code from the browser's request to it.
 */
export const KIT_CLIENT = { id: "public-demo", redirectUri: "http://127.0.0.1:8976/callback" } as const;

export type Tokens = {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
};

const base64url = (bytes: Buffer) => bytes.toString("base64url");

const at = (page: Page, path: string) => {
  try {
    return new URL(page.url()).pathname === path;
  } catch {
    return false;
  }
};

/**
 * On the authorization server's own pages: signs in when the login page is shown, then answers the
 * consent page when it is shown (a session and a consent given before are remembered and skip them).
 * Returns when the server has sent the browser on (to the client, usually); the caller waits for
 * what it expects there.
 */
export async function loginAndConsent(page: Page, account: Account, { decision = "Allow" }: { decision?: "Allow" | "Deny" } = {}) {
  if (at(page, "/login")) {
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === "/login/submit");
    await page.getByLabel("Username").fill(account.username);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // The server answers 303: back to the login page with an error, to the consent page, or to the client.
    const next = new URL((await answered).headers().location ?? "/", page.url());
    if (next.pathname === "/login") {
      await page.waitForURL(next.href);
      // (Next.js's route announcer is an empty alert too: the one with text is the server's.)
      throw new Error(`Sign-in failed: ${await page.getByRole("alert").filter({ hasText: /\S/ }).first().innerText()}`);
    }
    if (next.pathname !== "/consent") return;
    await page.waitForURL(next.href);
  }
  if (at(page, "/consent")) {
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === "/consent/submit");
    await page.getByRole("button", { name: decision, exact: true }).click();
    await answered;
  }
}

type GrantOptions = { account: Account; scopes?: string[]; issuer: string };

/**
 * The front channel for `scopes` (RFC 6749 §4.1.1-§4.1.2 with PKCE, RFC 7636): the authorization
 * request in `page`, login and consent as `account`, and the code read from the redirect, its state and
 * iss checked (RFC 9207). Returns the code and the verifier that redeems it.
 */
export async function authorizationCode(
  page: Page,
  { account, scopes = ["openid", "offline_access", "notes:read"], issuer }: GrantOptions,
): Promise<{ code: string; verifier: string }> {
  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  const authorize = new URL("/oauth/authorize", issuer);
  authorize.search = new URLSearchParams({
    response_type: "code",
    client_id: KIT_CLIENT.id,
    redirect_uri: KIT_CLIENT.redirectUri,
    scope: scopes.join(" "),
    state,
    code_challenge: base64url(createHash("sha256").update(verifier).digest()),
    code_challenge_method: "S256",
  }).toString();

  // The browser's request to the redirect URI carries the answer; it goes nowhere (nothing listens).
  const redirected = page.waitForRequest((r) => r.url().startsWith(`${KIT_CLIENT.redirectUri}?`), { timeout: 30_000 });
  // With a remembered session and consent the server redirects at once, to where nothing listens.
  await page.goto(authorize.href).catch(() => undefined);
  await loginAndConsent(page, account);
  const callback = new URL((await redirected).url());
  expect(callback.searchParams.get("error"), callback.searchParams.get("error_description") ?? "").toBeNull();
  expect(callback.searchParams.get("state"), "state comes back unchanged (CSRF, RFC 6749 §10.12)").toBe(state);
  expect(callback.searchParams.get("iss"), "the issuer that answered (RFC 9207)").toBe(issuer);
  return { code: callback.searchParams.get("code")!, verifier };
}

/** The code redeemed at the token endpoint with its PKCE verifier (RFC 6749 §4.1.3, RFC 7636 §4.5); must succeed. */
export async function redeemCode(
  request: APIRequestContext,
  issuer: string,
  { code, verifier }: { code: string; verifier: string },
): Promise<Tokens> {
  const response = await request.post(new URL("/oauth/token", issuer).href, {
    form: {
      grant_type: "authorization_code",
      code,
      redirect_uri: KIT_CLIENT.redirectUri,
      client_id: KIT_CLIENT.id,
      code_verifier: verifier,
    },
  });
  expect(response.status(), await response.text()).toBe(200);
  return response.json();
}

/** The whole grant: `authorizationCode` in `page`, then `redeemCode` with `request`. */
export async function authorizationCodeGrant(page: Page, request: APIRequestContext, options: GrantOptions): Promise<Tokens> {
  return redeemCode(request, options.issuer, await authorizationCode(page, options));
}

/** A new access token for a refresh token (RFC 6749 §6); the refresh token rotates. */
export async function refreshTokens(request: APIRequestContext, issuer: string, refreshToken: string): Promise<Tokens> {
  const response = await request.post(new URL("/oauth/token", issuer).href, {
    form: { grant_type: "refresh_token", refresh_token: refreshToken, client_id: KIT_CLIENT.id },
  });
  expect(response.status(), await response.text()).toBe(200);
  return response.json();
}

/** The claims of a JWT, not verified: for looking, as the API verifies them (RFC 9068). */
export const claimsOf = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8"));
