import { expect, test, type Page } from "@playwright/test";
import {
  basicAuth,
  flowPanel,
  NEXTAUTH_CLIENT,
  panelStep,
  sessionToken,
  signInWithNextAuth,
  watchBrowserTraffic,
} from "../support/nextauth";
import { USERS } from "../support/oauth";
import { useServer } from "../support/server";

/**
 * The production-style client (`/app`, next-auth) against the real authorization server and API, in
 * Chromium: sign-in to the API call, refresh after expiry, sign-out with revocation, consent denied,
 * and no secret or token in anything the browser receives.
 */

async function callTheApi(page: Page) {
  await page.getByRole("button", { name: "Call the API" }).click();
  await expect(page.getByRole("heading", { name: /^GET \/api\/me: \d+$/ })).toBeVisible();
}

const apiAnswer = (page: Page, path: string) => page.getByRole("article", { name: new RegExp(`^GET ${path.replace(/\//g, "\\/")}: `) });

test("next-auth signs alice in through the authorization server and calls the API from the server; no secret or token reaches the browser", async ({
  page,
  context,
}) => {
  const traffic = watchBrowserTraffic(page);
  await page.goto("/app");
  await expect(flowPanel(page)).toContainText("Sign in, and the seven steps of your run appear here");
  await signInWithNextAuth(page, USERS.alice);

  await expect(page.getByRole("heading", { name: "Signed in as Alice Example" })).toBeVisible();
  const user = page.getByRole("definition");
  await expect(user.filter({ hasText: "alice@example.com" })).toHaveCount(1);
  await expect(user.filter({ hasText: /^alice$/ })).toHaveCount(1);
  await expect(user.filter({ hasText: /^expires in \d+ s/ })).toHaveCount(1);

  await callTheApi(page);
  await expect(page.getByRole("heading", { name: "GET /api/me: 200" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "GET /api/notes: 200" })).toBeVisible();
  await expect(apiAnswer(page, "/api/me")).toContainText('"preferred_username": "alice"');
  await expect(apiAnswer(page, "/api/notes")).toContainText('"notes"');

  // The panel: steps 1-7 of this run, from the authorization server's, the API's and the client's events.
  await expect(panelStep(page, 1)).toContainText("client: next-auth sent the browser to the authorization server");
  await expect(panelStep(page, 1)).toContainText("authorization server: Authorization request accepted");
  await expect(panelStep(page, 2)).toContainText("User signed in");
  await expect(panelStep(page, 3)).toContainText("Authorization response: redirect with a one-time code");
  await expect(panelStep(page, 4)).toContainText("next-auth exchanged the code for tokens");
  await expect(panelStep(page, 5)).toContainText("Tokens issued for the code");
  await expect(panelStep(page, 6)).toContainText("client: Client called the API");
  await expect(panelStep(page, 7)).toContainText("Resource server validated the token and served");
  await expect(panelStep(page, 7)).not.toContainText("Client refreshed the access token");
  await page.screenshot({ path: test.info().outputPath("nextauth-signed-in.png"), fullPage: true });

  // What the browser can ask for: the session endpoint carries name and email, no token.
  const session = await (await page.request.get("/api/auth/session")).json();
  expect(session.user).toEqual({ name: "Alice Example", email: "alice@example.com" });
  expect(Object.keys(session).sort()).toEqual(["expires", "user"]);

  const token = await sessionToken(context);
  expect(token?.access_token?.split(".")).toHaveLength(3);
  const seen = await traffic.expectNoneContain({
    "the client secret": NEXTAUTH_CLIENT.secret,
    "the client's Basic credentials": basicAuth().slice("Basic ".length),
    "the access token": token?.access_token,
    "the refresh token": token?.refresh_token,
  });
  test.info().annotations.push({ type: "responses checked", description: String(seen) });
});

test("sign-out ends the session and revokes the refresh token at the authorization server", async ({ page, context, baseURL }) => {
  await signInWithNextAuth(page, USERS.alice);
  await callTheApi(page);
  await expect(page.getByRole("heading", { name: "GET /api/notes: 200" })).toBeVisible();
  const token = await sessionToken(context);
  expect(token?.refresh_token).toBeTruthy();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "You are signed out" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in with next-auth" })).toBeVisible();
  expect(await sessionToken(context)).toBeNull();
  await expect(panelStep(page, 7)).toContainText("client: Client revoked the refresh token on sign-out");
  await expect(panelStep(page, 7)).toContainText("authorization server: Refresh token revoked with its grant");

  // The revoked refresh token no longer works, and neither does the access token of its grant.
  const refresh = await page.request.post(`${baseURL}/oauth/token`, {
    headers: { Authorization: basicAuth() },
    form: { grant_type: "refresh_token", refresh_token: token!.refresh_token! },
  });
  expect(refresh.status()).toBe(400);
  expect((await refresh.json()).error).toBe("invalid_grant");
  const api = await page.request.get(`${baseURL}/api/notes`, { headers: { Authorization: `Bearer ${token!.access_token}` } });
  expect(api.status()).toBe(401);
});

test("an access token revoked at the authorization server: the API's refusal names the failed check and links its RFC section", async ({
  page,
  context,
  baseURL,
}) => {
  await signInWithNextAuth(page, USERS.alice);
  const token = await sessionToken(context);
  const revoke = await page.request.post(`${baseURL}/oauth/revoke`, {
    headers: { Authorization: basicAuth() },
    form: { token: token!.access_token!, token_type_hint: "access_token" },
  });
  expect(revoke.status()).toBe(200);
  await callTheApi(page);
  const answer = apiAnswer(page, "/api/me");
  await expect(answer.getByRole("heading")).toHaveText("GET /api/me: 401");
  await expect(answer).toContainText("Refused: invalid_token — The token has been revoked.");
  await expect(answer.getByRole("link", { name: "RFC 6750 §3.1" })).toHaveAttribute("href", /rfc6750.*section-3\.1/);
});

test("consent denied: the app shows an error and starts no session", async ({ page, context }) => {
  // bob gives nextauth-demo no consent anywhere else in the suite, so the consent page is shown.
  await signInWithNextAuth(page, USERS.bob, { decision: "Deny" });
  await expect(page).toHaveURL(/\/app\?error=OAuthCallbackError/);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Sign-in did not complete");
  await expect(page.getByRole("heading", { name: "You are signed out" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in with next-auth" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Call the API" })).toHaveCount(0);
  expect(await sessionToken(context)).toBeNull();
});

test.describe("with an access token lifetime of 8 seconds", () => {
  test.describe.configure({ mode: "default" });
  const server = useServer({ ACCESS_TOKEN_TTL_SECONDS: "8" });

  const expired = (page: Page) => page.getByRole("definition").filter({ hasText: /^expired at / });

  test("after expiry, Call the API refreshes the access token first (rotating the refresh token) and succeeds", async ({
    page,
    context,
  }) => {
    test.setTimeout(60_000);
    const { baseURL } = server();
    const traffic = watchBrowserTraffic(page);
    await signInWithNextAuth(page, USERS.alice, { origin: baseURL });
    await callTheApi(page);
    await expect(page.getByRole("heading", { name: "GET /api/notes: 200" })).toBeVisible();
    const before = await sessionToken(context);

    await expect(expired(page)).toBeVisible({ timeout: 15_000 });
    await callTheApi(page);
    await expect(page.getByRole("heading", { name: "GET /api/me: 200" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "GET /api/notes: 200" })).toBeVisible();
    await expect(panelStep(page, 7)).toContainText("client: Client refreshed the access token");
    await expect(panelStep(page, 7)).toContainText("authorization server: Refresh token rotated, new access token issued");
    await expect(page.getByRole("definition").filter({ hasText: /^expires in \d+ s/ })).toHaveCount(1);
    await page.screenshot({ path: test.info().outputPath("nextauth-after-refresh.png"), fullPage: true });

    const after = await sessionToken(context);
    expect(after?.access_token).not.toBe(before?.access_token);
    expect(after?.refresh_token, "the rotated refresh token is stored").not.toBe(before?.refresh_token);
    await traffic.expectNoneContain({
      "the client secret": NEXTAUTH_CLIENT.secret,
      "the first access token": before?.access_token,
      "the first refresh token": before?.refresh_token,
      "the refreshed access token": after?.access_token,
      "the rotated refresh token": after?.refresh_token,
    });
  });

  test("when the authorization server refuses the refresh token (invalid_grant), the app asks the user to sign in again", async ({
    page,
    context,
  }) => {
    test.setTimeout(60_000);
    const { baseURL } = server();
    await signInWithNextAuth(page, USERS.alice, { origin: baseURL });
    const token = await sessionToken(context);
    // The grant ends at the authorization server (as when the user withdraws the app's access there).
    const revoke = await page.request.post(`${baseURL}/oauth/revoke`, {
      headers: { Authorization: basicAuth() },
      form: { token: token!.refresh_token! },
    });
    expect(revoke.status()).toBe(200);

    await expect(expired(page)).toBeVisible({ timeout: 15_000 });
    await page.getByRole("button", { name: "Call the API" }).click();
    const alert = page.getByRole("main").getByRole("alert").filter({ hasText: "Sign in again" });
    await expect(alert).toContainText("refused the refresh token (invalid_grant");
    await expect(alert.getByRole("button", { name: "Sign in with next-auth" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Call the API" })).toHaveCount(0);
    await expect(panelStep(page, 7)).toContainText("Client's refresh was refused (invalid_grant)");
  });
});

test("a session cookie sealed with the old published demo secret is no session: the server's secret is its own", async ({
  page,
  context,
  baseURL,
}) => {
  const { encode } = await import("next-auth/jwt");
  const name = "authjs.session-token";
  const forged = await encode({
    token: { name: "Mallory Forged", username: "mallory", sub: "forged" },
    secret: "authcode-lab-demo-secret-change-me-outside-development",
    salt: name,
  });
  await context.addCookies([{ name, value: forged, url: baseURL! }]);
  await page.goto("/app");
  await expect(page.getByRole("button", { name: "Sign in with next-auth" }).first()).toBeVisible();
  await expect(page.getByText("Mallory Forged")).toHaveCount(0);
});
