import { expect, test } from "@playwright/test";
import { ALICE, authorize, press, result, startRun } from "../support/walkthrough";
import { flowPanel, signInWithNextAuth } from "../support/nextauth";
import { USERS } from "../support/oauth";
import { freePort, startServer, type TestServer } from "../support/server";

/**
 * The roles on two origins: the app started twice, one instance acting as the authorization and
 * resource server (http://127.0.0.1:A), the other as the client (http://localhost:B, another site, so
 * not even cookies are shared). Both clients complete the whole flow across them, which proves that
 * nothing depends on sharing a process or a database.
 */

test.describe.configure({ mode: "serial" });

let as: TestServer;
let client: TestServer;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const [asPort, clientPort] = [await freePort(), await freePort()];
  const clientUrl = `http://localhost:${clientPort}`;
  const asUrl = `http://127.0.0.1:${asPort}`;
  [as, client] = await Promise.all([
    // The authorization server registers the demo clients' redirect URIs on the client's origin.
    startServer({ DEMO_CLIENT_URL: clientUrl }, { port: asPort, host: "127.0.0.1" }),
    // The client talks to the authorization server (and the API beside it) on the other origin.
    startServer({ AUTH_AUTHCODE_LAB_ISSUER: asUrl }, { port: clientPort, host: "localhost" }),
  ]);
});

test.afterAll(async () => {
  await Promise.all([as?.stop(), client?.stop()]);
});

test("the walkthrough on the client's origin runs the seven steps against the other origin", async ({ page }) => {
  await startRun(page, client.baseURL);
  await authorize(page, { user: ALICE });
  // The browser went to the authorization server's own origin for steps 2-3 and came back.
  expect(new URL(page.url()).origin).toBe(client.baseURL);
  await expect(page.getByText(as.baseURL).first()).toBeVisible();

  await press(page, "Exchange the code for tokens");
  await expect(page.getByRole("status").filter({ hasText: "The ID token is valid" })).toBeVisible();
  await press(page, "Call the API");
  await expect(result(page, "Called the API with the access token")).toContainText("GET /api/me → 200; GET /api/notes → 200.");
  await press(page, "Refresh the access token");
  await expect(result(page, "Refreshed the access token")).toContainText("the old refresh token is spent");

  // The diagram merges the client's own events (its database) with the authorization and resource
  // servers' events, fetched from the other origin.
  const diagram = page.getByRole("list", { name: "Recorded events of this run, oldest first" });
  for (const name of [
    "Client exchanged the code for tokens",
    "Tokens issued for the code",
    "Resource server validated the token and served",
  ]) {
    await expect(diagram.getByRole("listitem").filter({ hasText: name }).first()).toBeVisible();
  }
});

test("next-auth on the client's origin signs in through the other origin and calls its API", async ({ page }) => {
  await signInWithNextAuth(page, USERS.bob, { origin: client.baseURL });
  expect(new URL(page.url()).origin).toBe(client.baseURL);
  await expect(page.getByRole("heading", { name: "Signed in as Bob Example" })).toBeVisible();
  await page.getByRole("button", { name: "Call the API" }).click();
  await expect(page.getByRole("heading", { name: "GET /api/me: 200" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "GET /api/notes: 200" })).toBeVisible();
  // The panel shows the authorization server's events of this run, fetched from the other origin.
  await expect(flowPanel(page)).toContainText("authorization server: Tokens issued for the code");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "You are signed out" })).toBeVisible();
  await expect(flowPanel(page)).toContainText("authorization server: Refresh token revoked with its grant");
});
