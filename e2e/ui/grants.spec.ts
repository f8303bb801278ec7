import { expect, test, type Locator, type Page } from "@playwright/test";
import { createHash, randomBytes } from "node:crypto";
import { expectAccessible } from "../support/a11y";
import { basicAuth, sessionToken, signInWithNextAuth } from "../support/nextauth";
import { USERS, type DemoUser } from "../support/oauth";

/**
 * The user's own grants (issue 14) in Chromium: the signed-out page signs in and comes back, the empty
 * state, a grant listed with its scopes, dates and the self-registered flag, Revoke access with the
 * keyboard only, and then the client's refresh token and access token refused. axe on every state.
 * Each test signs in as a user of its own, so revoking never touches another test's grants.
 */

async function newUser(page: Page): Promise<DemoUser> {
  const user = { username: `grants-ui-${randomBytes(5).toString("hex")}`, password: randomBytes(18).toString("base64url") };
  const created = await page.request.post("/api/test/users", { data: user });
  expect(created.status(), await created.text()).toBe(201);
  return { ...USERS.alice, ...user } as unknown as DemoUser;
}

/** Presses Tab until `target` has the focus, and checks the focus is visible (as keyboard.spec.ts does). */
async function tabTo(page: Page, target: Locator, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) {
      expect(await target.evaluate((el) => el.matches(":focus-visible")), "the focused control shows where the focus is").toBe(true);
      return;
    }
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

const grantItem = (page: Page, name: string) =>
  page.getByRole("list", { name: "Applications you allowed" }).getByRole("listitem", { name });

test("signed out: the page says so and signs in, then comes back to the empty list", async ({ page }) => {
  const user = await newUser(page);
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Your grants" }).click();
  await expect(page).toHaveURL(/\/grants$/);
  await expect(page.getByRole("status")).toContainText("You are not signed in to the authorization server");
  await expectAccessible(page, "the grants page, signed out");

  await page.getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login\?return_to=%2Fgrants$/);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/grants$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your grants");
  await expect(page.getByText("You have not allowed any application to act for you.")).toBeVisible();
  await expectAccessible(page, "the grants page, no grants");
});

test("a grant listed with its scopes, dates and who named it; revoked with the keyboard; then the client's refresh and API call fail", async ({
  page,
  context,
  baseURL,
}) => {
  const user = await newUser(page);
  await signInWithNextAuth(page, user);
  const token = await sessionToken(context);
  expect(token?.refresh_token).toBeTruthy();

  // The next-auth client reads the same list from the authorization server, with the user's access token.
  await page.getByRole("button", { name: "Show my grants" }).click();
  const fromClient = page.getByRole("region", { name: "Your grants at the authorization server" });
  await expect(fromClient.getByText("GET /account/grants: 200")).toBeVisible();
  await expect(fromClient.getByRole("list", { name: "Applications you allowed" })).toContainText("Production-style client (next-auth)");
  await expect(fromClient.getByRole("link", { name: "as JSON" })).toHaveAttribute("href", "/app/grants");
  await expectAccessible(page, "the next-auth client with the user's grants");
  const json = await page.request.get("/app/grants");
  expect(json.headers()["cache-control"]).toBe("no-store");
  expect(((await json.json()) as { grants: { client_id: string }[] }).grants.map((g) => g.client_id)).toEqual(["nextauth-demo"]);

  // A client that registered itself, granted through the real authorization endpoint (its loopback callback is answered here).
  const registered = await page.request.post("/oauth/register", {
    data: { client_name: "Quiz helper", redirect_uris: ["http://127.0.0.1:8976/callback"] },
  });
  expect(registered.status()).toBe(201);
  const { client_id: selfId } = (await registered.json()) as { client_id: string };
  await page.route("http://127.0.0.1:8976/**", (route) =>
    route.fulfill({
      contentType: "text/html",
      body: "<!doctype html><html lang=en><title>Callback</title><p>Back at the quiz helper.</p>",
    }),
  );
  const authorize = new URL("/oauth/authorize", baseURL);
  authorize.search = new URLSearchParams({
    response_type: "code",
    client_id: selfId,
    redirect_uri: "http://127.0.0.1:8976/callback",
    scope: "openid notes:read",
    state: randomBytes(16).toString("base64url"),
    code_challenge: createHash("sha256").update(randomBytes(32).toString("base64url")).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();
  await page.goto(authorize.href);
  await expect(page).toHaveURL(/\/consent\?/);
  await expect(page.getByRole("link", { name: "your grants page" })).toHaveAttribute("href", "/grants");
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:8976\/callback\?code=/);

  await page.goto("/grants");
  const nextAuth = grantItem(page, "Production-style client (next-auth)");
  await expect(nextAuth).toContainText("Client ID nextauth-demo");
  const scopes = nextAuth.getByRole("list", { name: "What Production-style client (next-auth) can do" });
  await expect(scopes.getByRole("listitem").filter({ hasText: "notes:read" })).toContainText("Read your notes.");
  await expect(scopes.getByRole("listitem").filter({ hasText: "offline_access" })).toContainText("Stay connected when you are away");
  await expect(nextAuth.getByRole("term")).toHaveText(["Granted", "Last used"]);
  await expect(nextAuth.getByRole("definition").first().locator("time")).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);
  await expect(nextAuth.getByRole("definition").nth(1).locator("time")).toBeVisible();
  await expect(nextAuth).not.toContainText("Registered itself.");
  const quiz = grantItem(page, "Quiz helper");
  await expect(quiz).toContainText("Registered itself.");
  await expect(quiz).toContainText("no access token on record");
  await expectAccessible(page, "the grants page with two grants");

  // Keyboard only: Tab to the next-auth client's Revoke access, Enter.
  await page.locator("body").focus();
  await tabTo(page, nextAuth.getByRole("button", { name: "Revoke access for Production-style client (next-auth)" }));
  await Promise.all([page.waitForURL(/\/grants\?revoked=nextauth-demo$/), page.keyboard.press("Enter")]);
  await expect(page.getByRole("status")).toContainText("Access revoked for Production-style client (next-auth)");
  await expect(grantItem(page, "Production-style client (next-auth)")).toHaveCount(0);
  await expect(grantItem(page, "Quiz helper")).toBeVisible();
  await expectAccessible(page, "the grants page after a revocation");

  // The client's refresh token is refused, and its access token too (the API checks the jti row).
  const refresh = await page.request.post("/oauth/token", {
    headers: { Authorization: basicAuth() },
    form: { grant_type: "refresh_token", refresh_token: token!.refresh_token! },
  });
  expect(refresh.status()).toBe(400);
  expect((await refresh.json()).error).toBe("invalid_grant");
  const api = await page.request.get("/api/notes", { headers: { Authorization: `Bearer ${token!.access_token}` } });
  expect(api.status()).toBe(401);
  await page.goto("/app");
  await page.getByRole("button", { name: "Call the API" }).click();
  await expect(page.getByRole("heading", { name: "GET /api/notes: 401" })).toBeVisible();

  // The last one, by click: the empty state.
  await page.goto("/grants");
  await grantItem(page, "Quiz helper").getByRole("button", { name: "Revoke access for Quiz helper" }).click();
  await expect(page.getByRole("status")).toContainText("Access revoked for Quiz helper");
  await expect(page.getByText("You have not allowed any application to act for you.")).toBeVisible();
});
