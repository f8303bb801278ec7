import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "../support/a11y";
import { authorize, collectResponses, press, step } from "../support/walkthrough";

/**
 * A participant registers their own client at /clients/new (RFC 7591, from the browser), sees its
 * secret once, and runs the walkthrough as that client: confidential (its own secret, client_secret_post)
 * and public (client_id and PKCE only, started from the walkthrough's start form).
 */

async function registerClient(page: Page, name: string, kind: "Confidential (has a secret)" | "Public (PKCE only)", baseURL: string) {
  await page.goto("/clients/new");
  await expect(page.getByRole("heading", { name: "Register your own client" })).toBeVisible();
  await page.getByLabel("Client name").fill(name);
  await expect(page.getByLabel("Redirect URIs")).toHaveValue(`${baseURL}/walkthrough/callback`);
  await page.getByRole("radio", { name: kind }).check();
  await page.getByRole("button", { name: "Register the client" }).click();
  await expect(page.getByRole("heading", { name: `Client registered: ${name}` })).toBeVisible();
  const clientId = await page.getByRole("textbox", { name: "Client ID" }).inputValue();
  expect(clientId).toMatch(/^[\w-]{20,}$/);
  return clientId;
}

test("a participant registers a confidential client, sees the secret once, and completes the walkthrough with it", async ({
  page,
  context,
  baseURL,
}) => {
  const name = `Team Falcon ${Date.now()}`;
  const clientId = await registerClient(page, name, "Confidential (has a secret)", baseURL!);
  const secret = await page.getByRole("textbox", { name: "Client secret" }).inputValue();
  expect(secret).toMatch(/^[\w-]{43}$/);
  await expect(page.getByRole("alert").filter({ hasText: "Copy the client secret now: it will not be shown again." })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Client secret" })).toHaveAccessibleDescription(/will not be shown again/);

  // From here on, no response the browser receives may carry the secret.
  const responses = collectResponses(context);
  await page.getByRole("button", { name: "Run the walkthrough with this client" }).click();
  await expect(page).toHaveURL(/\/walkthrough\?run=[\w-]+#step-1$/);
  await expect(page.getByRole("region", { name: "This run", exact: true })).toContainText(
    `Client ${clientId}: your own client, confidential`,
  );
  await expect(page.getByRole("figure", { name: /The authorization URL/ })).toContainText(`client_id=${clientId}`);

  await page.getByRole("button", { name: "Send the browser to the authorization server" }).click();
  await page.getByLabel("Username").fill("alice");
  await page.getByLabel("Password").fill("alice-demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: `Allow ${name} to access your account?` })).toBeVisible();
  // A name it chose itself: the page says so, and shows what a name cannot disguise (RFC 9700 §4.11.2).
  const who = page.getByRole("region", { name: "Who this application is" });
  await expect(who).toContainText("This application registered itself with this server.");
  await expect(who.getByRole("definition").first()).toHaveText(clientId);
  await expect(who.getByRole("definition").nth(1)).toHaveText(new URL(baseURL!).origin);
  await expectAccessible(page, "the consent page of a self-registered client");
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page).toHaveURL(/\/walkthrough\?run=[\w-]+#step-3$/);

  await press(page, "Exchange the code for tokens");
  await expect(step(page, 5).getByRole("status")).toHaveText("The ID token is valid: the client may sign the user in.");
  const body = step(page, 4).getByRole("table", { name: "Request body" });
  await expect(body.getByRole("row", { name: /client_id/ })).toContainText(clientId);
  await expect(body.getByRole("row", { name: /client_secret/ })).toContainText(`${secret.slice(0, 4)}••••`);
  await press(page, "Call the API");
  await expect(page.getByRole("article", { name: "Result: Called the API with the access token" })).toContainText(
    "GET /api/me → 200; GET /api/notes → 200.",
  );

  for (const { url, body: text } of await responses.settle())
    expect(text.includes(secret), `the secret in the response of ${url}`).toBe(false);

  // Shown once: the registration page, opened again, is an empty form.
  await page.goto("/clients/new");
  await expect(page.getByRole("button", { name: "Register the client" })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Client secret" })).toHaveCount(0);
});

test("a public client runs the walkthrough from the start form with its client_id only", async ({ page, baseURL }) => {
  const name = `Team Heron ${Date.now()}`;
  const clientId = await registerClient(page, name, "Public (PKCE only)", baseURL!);
  await expect(page.getByRole("textbox", { name: "Client secret" })).toHaveCount(0);

  await page.goto("/walkthrough");
  await page.getByRole("textbox", { name: "Client ID" }).fill(clientId);
  await expect(page.getByLabel("Client secret (leave empty for a public client)")).toHaveValue("");
  await page.getByRole("button", { name: "Start the walkthrough" }).click();
  await expect(page).toHaveURL(/\/walkthrough\?run=[\w-]+#step-1$/);
  await expect(page.getByRole("region", { name: "This run", exact: true })).toContainText(`Client ${clientId}: your own client, public`);

  await authorize(page);
  await press(page, "Exchange the code for tokens");
  await expect(step(page, 5).getByRole("status")).toHaveText("The ID token is valid: the client may sign the user in.");
  const exchange = step(page, 4);
  await expect(
    exchange.getByRole("table", { name: "The client's registration" }).getByRole("row", { name: /token_endpoint_auth_method/ }),
  ).toContainText("none");
  const body = exchange.getByRole("table", { name: "Request body" });
  await expect(body.getByRole("row", { name: /client_id/ })).toContainText(clientId);
  await expect(body.getByRole("row", { name: /code_verifier/ })).toBeVisible();
  await expect(body.getByRole("row", { name: /client_secret/ })).toHaveCount(0);
});
