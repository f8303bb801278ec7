import { test as base, expect, type APIRequestContext } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { authorizationCodeGrant, DEMO_ACCOUNT, loginAndConsent, refreshTokens, type Account, type Tokens } from "./auth";

/**
 * The kit's fixtures. Import `test` and `expect` from here instead of from @playwright/test:
 *
 * - `issuer`: the server under test (`baseURL`, without a trailing slash).
 * - `account` (per worker): a user of this worker's own, created through test mode's /api/test/users
 *   so that parallel workers never share a session, a consent or a note; the demo user alice on a
 *   server without test mode.
 * - `signedInState` (per worker): the path of a saved `storageState` in which `account` is signed in
 *   to the next-auth client (/app) through the real authorization code flow. `signedInTest` below
 *   starts every test from it, so only the first test of a worker goes through the login.
 * - `grant` (per worker): tokens for `account`, from the real grant (browser login and consent, code
 *   redeemed with PKCE), refreshed through the token endpoint when the access token is about to expire.
 * - `api`: an API request context whose requests carry `Authorization: Bearer <grant's access token>`.
 * - `loginAndConsent(page, account?)`: completes the authorization server's login and consent pages.
 */

type TestFixtures = {
  issuer: string;
  api: APIRequestContext;
  loginAndConsent: (page: Parameters<typeof loginAndConsent>[0], account?: Account) => Promise<void>;
};
type WorkerFixtures = {
  workerIssuer: string;
  testMode: boolean;
  account: Account;
  signedInState: string;
  grant: { tokens: () => Promise<Tokens>; scopes: string[] };
};

/** What the kit's grant asks for: the API's read and write scopes and a refresh token. */
export const KIT_SCOPES = ["openid", "profile", "offline_access", "notes:read", "notes:write"];

export const test = base.extend<TestFixtures, WorkerFixtures>({
  // The worker's copy of baseURL (the option is per test; worker fixtures need it too).
  workerIssuer: [
    async ({}, use, workerInfo) => {
      const baseURL = workerInfo.project.use.baseURL;
      if (!baseURL) throw new Error("baseURL is not configured (playwright.config.ts or BASE_URL).");
      await use(baseURL.replace(/\/$/, ""));
    },
    { scope: "worker" },
  ],

  issuer: async ({ workerIssuer }, use) => {
    await use(workerIssuer);
  },

  testMode: [
    async ({ playwright, workerIssuer }, use) => {
      const request = await playwright.request.newContext();
      const response = await request.get(`${workerIssuer}/api/test/clock`);
      await request.dispose();
      // The suite's own server always runs in test mode (playwright.config.ts): there, its absence is a
      // failure, not a reason to fall back. Against BASE_URL it is the server's choice.
      if (!process.env.BASE_URL) expect(response.status(), "the suite's server runs with TEST_MODE=on").toBe(200);
      await use(response.status() === 200);
    },
    { scope: "worker" },
  ],

  account: [
    async ({ playwright, workerIssuer, testMode }, use, workerInfo) => {
      if (!testMode) return use(DEMO_ACCOUNT);
      const account = {
        username: `kit-w${workerInfo.workerIndex}-${randomBytes(4).toString("hex")}`,
        password: randomBytes(18).toString("base64url"),
      };
      const request = await playwright.request.newContext();
      const created = await request.post(`${workerIssuer}/api/test/users`, { data: account });
      expect(created.status(), await created.text()).toBe(201);
      await request.dispose();
      await use(account);
    },
    { scope: "worker" },
  ],

  signedInState: [
    async ({ browser, workerIssuer, account }, use, workerInfo) => {
      const file = path.join(workerInfo.project.outputDir, ".auth", `signed-in-${workerInfo.workerIndex}.json`);
      mkdirSync(path.dirname(file), { recursive: true });
      const context = await browser.newContext({ baseURL: workerIssuer });
      const page = await context.newPage();
      await page.goto("/app");
      await page.getByRole("button", { name: "Sign in with next-auth" }).click();
      await loginAndConsent(page, account);
      await expect(page.getByRole("heading", { name: /^Signed in as / })).toBeVisible();
      await context.storageState({ path: file });
      await context.close();
      await use(file);
    },
    { scope: "worker" },
  ],

  grant: [
    async ({ browser, playwright, workerIssuer, account }, use) => {
      const context = await browser.newContext();
      const request = await playwright.request.newContext();
      let tokens = await authorizationCodeGrant(await context.newPage(), request, { account, scopes: KIT_SCOPES, issuer: workerIssuer });
      let expiresAt = Date.now() + tokens.expires_in * 1000;
      await context.close();
      await use({
        scopes: KIT_SCOPES,
        tokens: async () => {
          // Refreshed when less than 30 s are left, so a long worker never sends an expired token.
          if (expiresAt - Date.now() < 30_000 && tokens.refresh_token) {
            tokens = { ...(await refreshTokens(request, workerIssuer, tokens.refresh_token)) };
            expiresAt = Date.now() + tokens.expires_in * 1000;
          }
          return tokens;
        },
      });
      await request.dispose();
    },
    { scope: "worker" },
  ],

  api: async ({ playwright, issuer, grant }, use) => {
    const { access_token } = await grant.tokens();
    const api = await playwright.request.newContext({ baseURL: issuer, extraHTTPHeaders: { Authorization: `Bearer ${access_token}` } });
    await use(api);
    await api.dispose();
  },

  loginAndConsent: async ({ account }, use) => {
    await use((page, who = account) => loginAndConsent(page, who));
  },
});

/** `test`, with every test starting signed in to /app as the worker's `account` (its saved storageState). */
export const signedInTest = test.extend({
  storageState: async ({ signedInState }, use) => {
    await use(signedInState);
  },
});

export { expect };
