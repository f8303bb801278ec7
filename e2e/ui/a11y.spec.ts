import type { Page } from "@playwright/test";
import { expect, test } from "../kit/fixtures";
import { expectAccessible } from "../support/a11y";
import { USERS } from "../support/oauth";
import { authorize, press, startRun } from "../support/walkthrough";

/**
 * Accessibility: every page, in each state a learner meets, checked by axe-core at WCAG 2.1 A and AA
 * (contrast, names, labels, landmarks, headings, ARIA). Zero violations is the bar. The instructor's
 * pages, which need a workshop server, are checked in instructor.spec.ts.
 */

test("overview, registration, self-check and logout pages", async ({ page }) => {
  await page.goto("/");
  await expectAccessible(page, "the overview (/)");

  await page.goto("/clients/new");
  await expectAccessible(page, "the registration page");
  // A refusal from the server (the fields are required, so an empty form never reaches it).
  await page.getByLabel("Client name").fill("A11y sweep client");
  await page.getByLabel("Redirect URIs").fill("javascript:alert(1)");
  await page.getByRole("button", { name: "Register the client" }).click();
  await expect(page.getByRole("main").getByRole("alert").filter({ hasText: "invalid_redirect_uri" })).toBeVisible();
  await expectAccessible(page, "the registration page with an error");
  await page.getByLabel("Redirect URIs").fill(`${new URL(page.url()).origin}/walkthrough/callback`);
  await page.getByLabel("Client name").fill("A11y sweep client");
  await page.getByRole("button", { name: "Register the client" }).click();
  await expect(page.getByRole("button", { name: "Run the walkthrough with this client" })).toBeVisible();
  await expectAccessible(page, "the registration result (client id and secret)");

  await page.goto("/self-check");
  await expectAccessible(page, "the self-check before a run");
  await page.getByRole("button", { name: "Run the self-check" }).click();
  await expect(page.getByRole("status").first()).toBeVisible({ timeout: 45_000 });
  await expectAccessible(page, "the self-check's results");

  await page.goto("/logout");
  await expectAccessible(page, "the logout page");
});

/**
 * From step 1 through the authorization server's pages and back at step 3: the login page, a wrong password
 * (the username kept), the consent page; each checked by axe (`at` says where, such as " at 390 px").
 */
async function throughTheAuthorizationServer(page: Page, account: { username: string; password: string }, at = "") {
  await page.getByRole("checkbox", { name: "Ask for consent again (prompt=consent)" }).check();
  await page.getByRole("button", { name: "Send the browser to the authorization server", exact: true }).click();
  await expect(page).toHaveURL(/\/login\?interaction=/);
  await expectAccessible(page, `the login page${at}`);
  await page.getByLabel("Username").fill(account.username);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The username or password is incorrect." })).toBeVisible();
  // The browser puts the username back from this tab (the server keeps nothing typed); the password goes.
  await expect(page.getByLabel("Username")).toHaveValue(account.username);
  await expect(page.getByLabel("Password")).toHaveValue("");
  await expectAccessible(page, `the login page with an error${at}`);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/consent\?/);
  await expectAccessible(page, `the consent page${at}`);
  await page.getByRole("button", { name: "Allow", exact: true }).click();
  await expect(page).toHaveURL(/\/walkthrough\?run=[\w-]+#step-3$/);
  await expectAccessible(page, `walkthrough step 3 (the code is back)${at}`);
}

test("the walkthrough at each step, the authorization server's pages, and an API error", async ({ page, account }) => {
  await page.goto("/walkthrough");
  await expectAccessible(page, "the walkthrough before a run");
  await startRun(page);
  await expectAccessible(page, "walkthrough step 1");

  await throughTheAuthorizationServer(page, account);

  await press(page, "Exchange the code for tokens");
  await expectAccessible(page, "walkthrough step 5 (tokens, decoded JWTs)");
  await press(page, "Call the API");
  await expectAccessible(page, "walkthrough step 7 (the API's answer)");
  await press(page, "Call the API without a token");
  await expectAccessible(page, "an API error rendered in the walkthrough");
  await press(page, "Refresh the access token");
  await press(page, "Replay the code");
  await expectAccessible(page, "the walkthrough after refresh and replay");
  await press(page, "Revoke the tokens");
  await expectAccessible(page, "the walkthrough after revocation");

  // Error pages: the authorization server's own (no redirect), a request that expired, an unknown path.
  await page.goto("/oauth/authorize?client_id=no-such-client&response_type=code");
  await expectAccessible(page, "the authorization endpoint's error page");
  await page.goto("/consent?interaction=expired");
  await expectAccessible(page, "an expired consent request");
  await page.goto("/no-such-page");
  await expectAccessible(page, "the 404 page");
});

test("the walkthrough after a refused consent", async ({ page }) => {
  await startRun(page);
  await authorize(page, { user: USERS.alice, decision: "Deny" });
  await expectAccessible(page, "the walkthrough with access_denied");
});

test("the next-auth client signed out, signed in, and after an API call", async ({ page, loginAndConsent }) => {
  await page.goto("/app");
  await expectAccessible(page, "/app signed out");
  // The worker's own user (the kit's fixture): the suite's other tests rely on what alice and bob consented to.
  await page.getByRole("button", { name: "Sign in with next-auth" }).click();
  await loginAndConsent(page);
  await expect(page.getByRole("heading", { name: /^Signed in as / })).toBeVisible();
  await expectAccessible(page, "/app signed in");
  await page.getByRole("button", { name: "Call the API" }).click();
  await expect(page.getByRole("heading", { name: /^GET \/api\/me: \d+$/ })).toBeVisible();
  await expectAccessible(page, "/app after an API call");
});

test("the lab before and after an attack", async ({ page }) => {
  await page.goto("/lab");
  await expectAccessible(page, "the lab");
  const card = page.getByRole("region", { name: "1. Code replay" });
  await card.getByRole("button", { name: "Run the attack" }).click();
  await expect(card.getByRole("status")).toContainText(/^(All \d+ attempts were|Its one attempt was) refused\./, { timeout: 30_000 });
  await card.getByText(/The \d+ requests sent/).click();
  await expectAccessible(page, "the lab with an attack's results open");
});

test("learn: the index, a chapter, and a chapter after its lab run", async ({ page }) => {
  await page.goto("/learn");
  await expectAccessible(page, "/learn");
  await page.goto("/learn/roles");
  await expectAccessible(page, "/learn/roles");
  await page.goto("/learn/refresh-and-revocation");
  const run = page.getByRole("region", { name: "Run it" });
  await run.getByRole("button", { name: "Run the refresh token reuse attack" }).click();
  await expect(run.getByRole("region", { name: "6. Refresh token reuse after rotation" }).getByRole("status")).toContainText(
    /^(All \d+ attempts were|Its one attempt was) refused\./,
    { timeout: 60_000 },
  );
  await expectAccessible(page, "/learn/refresh-and-revocation after its lab run");
});

test.describe("on a 390 px phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the pages, and the walkthrough with its next bar, folded steps and an API answer", async ({ page, account }) => {
    for (const path of ["/", "/learn", "/learn/tokens", "/lab", "/self-check", "/clients/new", "/app", "/logout"]) {
      await page.goto(path);
      await expectAccessible(page, `${path} at 390 px`);
    }
    await startRun(page);
    await expectAccessible(page, "walkthrough step 1 at 390 px");
    await throughTheAuthorizationServer(page, account, " at 390 px");
    await press(page, "Exchange the code for tokens");
    await expectAccessible(page, "walkthrough steps 4 and 5 at 390 px");
    await press(page, "Call the API");
    await page.getByText("Show step 1 again").click();
    await expectAccessible(page, "walkthrough step 7, step 1 opened again, at 390 px");
  });
});
