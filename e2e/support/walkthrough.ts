import { expect, type BrowserContext, type Locator, type Page, type TestInfo } from "@playwright/test";
import { createHash } from "node:crypto";

/**
 * Driving /walkthrough in a browser, by role and accessible name only. The authorization server's pages
 * are the real ones: fields "Username" and "Password", buttons "Sign in", "Allow" and "Deny".
 */

export const ALICE = { username: "alice", password: "alice-demo-password" };
export const BOB = { username: "bob", password: "bob-demo-password" };
export const WALKTHROUGH_SECRET = "walkthrough-demo-secret";

export const step = (page: Page, n: number): Locator => page.getByRole("region", { name: new RegExp(`^Step ${n} `) });
export const result = (page: Page, title: string): Locator => page.getByRole("article", { name: `Result: ${title}` });
export const check = (list: Locator, name: string): Locator => list.getByRole("listitem").filter({ hasText: `${name}:` });

/** A value of the "Generated for this run" table. */
export async function generated(page: Page, name: string): Promise<string> {
  const row = page
    .getByRole("table", { name: "Generated for this run" })
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name, exact: true }) });
  return (await row.getByRole("cell").first().innerText()).trim();
}

/** The run's short name, as the walkthrough and the instructor's cards show it: its correlation id's first six characters. */
export async function runNameOf(page: Page): Promise<string> {
  const shown = /^Run ([\w-]{6}),/.exec(await page.getByRole("region", { name: "This run", exact: true }).innerText())?.[1];
  expect(shown, "the run's name in the page's header").toBeTruthy();
  return shown!;
}

export const s256 = (verifier: string) => createHash("sha256").update(verifier, "ascii").digest("base64url");

/** Opens /walkthrough (on `base`, default the test server) and starts a fresh run; returns its id. */
export async function startRun(page: Page, base = ""): Promise<string> {
  await page.goto(`${base}/walkthrough`);
  const start = page.getByRole("button", { name: "Start the walkthrough" });
  await ((await start.isVisible()) ? start : page.getByRole("button", { name: "Start over" })).click();
  await expect(page).toHaveURL(/\/walkthrough\?run=[\w-]+#step-1$/);
  return new URL(page.url()).searchParams.get("run")!;
}

/**
 * Step 1 to 3: sends the browser to the authorization server, signs in if asked, answers the consent
 * page if asked, and waits for the browser to come back to the walkthrough.
 */
export async function authorize(
  page: Page,
  options: { user?: { username: string; password: string }; decision?: "Allow" | "Deny"; forceConsent?: boolean; scopes?: string[] } = {},
) {
  const { user = ALICE, decision = "Allow", forceConsent = true } = options;
  if (options.scopes) {
    for (const box of await page.getByRole("group", { name: "Scopes: what the client asks for" }).getByRole("checkbox").all()) {
      const name = (await box.getAttribute("value"))!;
      await box.setChecked(options.scopes.includes(name));
    }
  }
  if (forceConsent) await page.getByRole("checkbox", { name: "Ask for consent again (prompt=consent)" }).check();
  // With PAR the same button pushes the request first.
  await page.getByRole("button", { name: /^(Push the request, then s|S)end the browser to the authorization server$/ }).click();
  await expect(page).toHaveURL(/\/login\?|\/consent\?|\/walkthrough\?run=/);
  if (/\/login\?/.test(page.url())) {
    await page.getByLabel("Username").fill(user.username);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/consent\?|\/walkthrough\?run=/);
  }
  if (/\/consent\?/.test(page.url())) await page.getByRole("button", { name: decision }).click();
  await expect(page).toHaveURL(/\/walkthrough\?run=[\w-]+#step-3$/);
}

/** From a fresh run to step 5: the tokens are on the client's server. */
export async function obtainTokens(page: Page, options: Parameters<typeof authorize>[1] = {}) {
  const run = await startRun(page);
  await authorize(page, options);
  await press(page, "Exchange the code for tokens");
  await expect(page.getByRole("status").filter({ hasText: "The ID token is valid" })).toBeVisible();
  return run;
}

/** Presses one of the walkthrough's buttons and waits for the page to come back with the result. */
export async function press(page: Page, name: string) {
  const rendered = page.waitForResponse(
    (r) => r.request().resourceType() === "document" && r.request().method() === "GET" && /\/walkthrough\?/.test(r.url()),
  );
  await page.getByRole("button", { name, exact: true }).click();
  await rendered;
  await page.waitForLoadState("domcontentloaded");
}

/** A full-page screenshot, saved in the test's output folder and attached to its report. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

/**
 * Every response body the browser context receives (pages, scripts, RSC payloads, redirects' empty
 * bodies), for searching afterwards. `settle()` waits for the bodies still being read.
 */
export function collectResponses(context: BrowserContext) {
  const pending: Promise<{ url: string; body: string }>[] = [];
  context.on("response", (response) => {
    pending.push(
      response.body().then(
        (b) => ({ url: response.url(), body: b.toString("utf8") }),
        () => ({ url: response.url(), body: "" }),
      ),
    );
  });
  return {
    async settle() {
      return Promise.all(pending);
    },
  };
}
