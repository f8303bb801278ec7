import { expect, test, type Page } from "@playwright/test";
import { createHash, randomBytes } from "node:crypto";

/**
 * Steps 1-3 in a real browser: the authorization server's login and consent pages, selected by role
 * and accessible name. The client's callback page is not the subject here: the tests read the URL the
 * browser was sent to.
 */

const CLIENT = "walkthrough";

function authorizeUrl(baseURL: string, options: { scope?: string; state?: string; prompt?: string } = {}) {
  const verifier = randomBytes(32).toString("base64url");
  const url = new URL("/oauth/authorize", baseURL);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: CLIENT,
    redirect_uri: `${baseURL}/walkthrough/callback`,
    scope: options.scope ?? "openid profile notes:read",
    state: options.state ?? randomBytes(16).toString("base64url"),
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    ...(options.prompt ? { prompt: options.prompt } : {}),
  }).toString();
  return url.href;
}

async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  const submitted = page.waitForResponse((r) => r.url().endsWith("/login/submit"));
  await page.getByRole("button", { name: "Sign in" }).click();
  await submitted;
}

test("a user signs in, reads what each scope allows, and allows: the browser returns with a code, state and iss", async ({
  page,
  baseURL,
}) => {
  const state = "state-" + randomBytes(8).toString("hex");
  await page.goto(authorizeUrl(baseURL!, { state, scope: "openid profile email notes:read", prompt: "consent" }));
  await expect(page).toHaveURL(/\/login\?interaction=/);
  await expect(page.getByText("Walkthrough client")).toBeVisible();
  await signIn(page, "alice", "alice-demo-password");

  await expect(page).toHaveURL(/\/consent\?interaction=/);
  await expect(page.getByRole("heading", { name: "Allow Walkthrough client to access your account?" })).toBeVisible();
  // A seeded client is this server's own: no "registered itself" notice.
  await expect(page.getByRole("region", { name: "Who this application is" })).toHaveCount(0);
  const scopes = page.getByRole("list", { name: "What the application asks for" });
  await expect(scopes.getByRole("listitem")).toHaveCount(4);
  await expect(scopes).toContainText("See your email address.");
  await expect(scopes).toContainText("Read your notes.");

  const callback = page.waitForRequest((r) => r.url().startsWith(`${baseURL}/walkthrough/callback`));
  await page.getByRole("button", { name: "Allow" }).click();
  const url = new URL((await callback).url());
  expect(url.searchParams.get("code")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(url.searchParams.get("state")).toBe(state);
  expect(url.searchParams.get("iss")).toBe(baseURL);
});

test("Deny sends access_denied back to the client, with the state", async ({ page, baseURL }) => {
  await page.goto(authorizeUrl(baseURL!, { state: "deny-me", prompt: "consent" }));
  await signIn(page, "bob", "bob-demo-password");
  const callback = page.waitForRequest((r) => r.url().startsWith(`${baseURL}/walkthrough/callback`));
  await page.getByRole("button", { name: "Deny" }).click();
  const url = new URL((await callback).url());
  expect(url.searchParams.get("error")).toBe("access_denied");
  expect(url.searchParams.get("state")).toBe("deny-me");
  expect(url.searchParams.get("code")).toBeNull();
});

test("a wrong password shows one generic message and no session starts", async ({ page, baseURL, context }) => {
  await page.goto(authorizeUrl(baseURL!));
  const alert = page.getByRole("main").getByRole("alert");
  await signIn(page, "bob", "not-the-password");
  await expect(alert).toHaveText("The username or password is incorrect.");
  await signIn(page, "nobody-by-this-name", "whatever");
  await expect(alert).toHaveText("The username or password is incorrect.");
  await expect(page.getByLabel("Username")).toBeVisible();
  expect((await context.cookies()).map((c) => c.name)).not.toContain("authcode_session");
});

test("the login and consent pages cannot be framed and send no referrer to other sites", async ({ page, baseURL }) => {
  const response = await page.goto(authorizeUrl(baseURL!));
  expect(response!.url()).toContain("/login?interaction=");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["referrer-policy"]).toBe("same-origin");
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === "authcode_session")).toBeUndefined();
});

test("an unregistered redirect URI gets an error page on the authorization server, never a redirect", async ({ page, baseURL }) => {
  const url = new URL(authorizeUrl(baseURL!));
  url.searchParams.set("redirect_uri", "https://attacker.example/callback");
  const response = await page.goto(url.href);
  expect(response!.status()).toBe(400);
  expect(page.url()).toBe(url.href);
  await expect(page.getByRole("heading", { name: "The authorization request was refused" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("redirect_uri is not registered");
});

test("the session cookie is httpOnly and SameSite=Lax", async ({ page, baseURL, context }) => {
  await page.goto(authorizeUrl(baseURL!));
  await signIn(page, "alice", "alice-demo-password");
  // With consent remembered the code goes straight to the client, whose callback answers a browser
  // without a walkthrough run with a redirect to /walkthrough?refused=no-run.
  await expect(page).toHaveURL(/\/consent\?interaction=|\/walkthrough\/callback|\/walkthrough\?refused=no-run/);
  const session = (await context.cookies()).find((c) => c.name === "authcode_session");
  expect(session).toBeDefined();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe("Lax");
});
