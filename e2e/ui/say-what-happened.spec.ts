import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "../support/a11y";
import { authorize, obtainTokens, press, result, startRun, step } from "../support/walkthrough";

/**
 * Issue 17, items 7 and 8: the walkthrough says what happened (no heading claims a success over a
 * refusal; a button that cannot do anything yet is not offered, and the page says when it will be; a
 * note without notes:write is the lesson it is), one "You are here.", times a person reads, a lab verdict
 * in good English, and no page that logs a 404 for a missing favicon.
 */

const hereMarkers = (page: Page) => page.getByText("You are here.", { exact: true });
const failures = (page: Page) => page.getByRole("region", { name: "Teach by failing" });

test("at step 1 the failing buttons that need a code or a token are not offered, and say when they will be", async ({ page }) => {
  await startRun(page);
  await expect(hereMarkers(page)).toHaveCount(1);
  await expect(failures(page).getByRole("button", { name: "Replay the code" })).toHaveCount(0);
  await expect(failures(page)).toContainText("Replay the code: Offered once the code has been exchanged (step 4)");
  await expect(failures(page).getByRole("button", { name: "Call the API with an expired token" })).toHaveCount(0);
  await expect(failures(page)).toContainText("Call the API with an expired token: Offered once the client has an access token (step 5).");
  await expect(failures(page).getByRole("button", { name: "Call the API without a token" })).toBeVisible();
  await expect(page.getByRole("region", { name: "This run", exact: true })).toContainText(/^Run [\w-]{6}, started \d{2}:\d{2}:\d{2} UTC/);
});

test("without notes:write the note is offered as the lesson it is, and its 403 is not called a success", async ({ page }) => {
  await obtainTokens(page);
  await expect(hereMarkers(page)).toHaveCount(1);
  await expect(step(page, 4).getByText("You are here.")).toBeVisible();
  await expect(failures(page).getByRole("button", { name: "Replay the code" })).toBeVisible();
  const tryIt = page.getByRole("button", { name: "Try to create a note without notes:write" });
  await expect(tryIt).toHaveAccessibleDescription(/not granted notes:write, so the API will refuse a note with 403 insufficient_scope/);
  await expect(page.getByRole("button", { name: "Create a note (POST /api/notes)" })).toHaveCount(0);
  await press(page, "Try to create a note without notes:write");
  const refused = result(page, "The API refused to create the note");
  await expect(refused).toContainText("POST /api/notes → 403 insufficient_scope.");
  await expect(refused).toContainText("The access token was not granted notes:write");
  await expect(refused).toContainText(/^The API refused to create the note at \d{2}:\d{2}:\d{2} UTC/);
  await expect(result(page, "Created a note through the API")).toHaveCount(0);
  await expect(hereMarkers(page)).toHaveCount(1);
  await expect(step(page, 7).getByText("You are here.")).toBeVisible();
  await expectAccessible(page, "the walkthrough after a note refused for its scope");
});

test("with notes:write the note is created", async ({ page }) => {
  await startRun(page);
  await authorize(page, { scopes: ["openid", "profile", "offline_access", "notes:read", "notes:write"] });
  await expect(step(page, 3)).toContainText(
    /The code has \d+ s left: the authorization server issued it at \d{2}:\d{2}:\d{2} UTC with a lifetime of \d+ s/,
  );
  await expect(step(page, 3).getByRole("table", { name: /^Received at the redirect URI at \d{2}:\d{2}:\d{2} UTC$/ })).toBeVisible();
  await press(page, "Exchange the code for tokens");
  await press(page, "Create a note (POST /api/notes)");
  await expect(result(page, "Created a note through the API")).toContainText("POST /api/notes → 201.");
});

test("a lab card with one attempt says so in good English", async ({ page }) => {
  await page.goto("/lab");
  const card = page.getByRole("region", { name: "8. A code redeemed by a different client" });
  await card.getByRole("button", { name: "Run the attack" }).click();
  await expect(card.getByRole("status")).toContainText(/^Its one attempt was refused\./, { timeout: 30_000 });
});

test("no page logs a 404 for a favicon: the app has one, served to its own pages and to the authorization server's error pages", async ({
  page,
}) => {
  const missing: string[] = [];
  page.on("response", (r) => {
    if (r.status() === 404 && /favicon|icon/.test(r.url())) missing.push(r.url());
  });
  page.on("console", (m) => {
    if (m.type() === "error" && /favicon|404/.test(m.text())) missing.push(m.text());
  });
  for (const path of ["/", "/walkthrough", "/login", "/oauth/authorize?client_id=no-such-client&response_type=code"]) {
    await page.goto(path);
    await page.waitForLoadState("load");
  }
  const icon = await page.request.get("/favicon.ico");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
  expect(missing).toEqual([]);
});
