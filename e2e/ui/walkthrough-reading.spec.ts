import { expect, test, type Page } from "@playwright/test";
import { authorize, generated, obtainTokens, result, startRun, step } from "../support/walkthrough";

/**
 * Issue 17, item 5: the walkthrough keeps the reader where the action is. After a button the page lands
 * on the newest exchange; a bar fixed at the bottom names the next step and has its button; the steps the
 * run has moved past fold away to one line; on a 390 px phone the page after the API's answer is well
 * under half of the 39 screens it was.
 */

const nextBar = (page: Page) => page.getByRole("region", { name: "Next step" });

/** Presses the next bar's button and waits for the page that answers. */
async function next(page: Page, label: string) {
  const rendered = page.waitForResponse(
    (r) => r.request().resourceType() === "document" && r.request().method() === "GET" && /\/walkthrough\?/.test(r.url()),
  );
  await nextBar(page)
    .getByRole("button", { name: `Next: ${label}`, exact: true })
    .click();
  await rendered;
  await page.waitForLoadState("domcontentloaded");
}

test("the next bar stays in view and names the next step; its button does it; the page lands on the newest exchange", async ({ page }) => {
  await startRun(page);
  await expect(nextBar(page)).toBeInViewport();
  await expect(nextBar(page)).toContainText("Step 1");
  await expect(nextBar(page).getByRole("button", { name: "Next: send the browser to sign in" })).toBeVisible();
  await authorize(page);

  await expect(nextBar(page)).toContainText("Step 4");
  await next(page, "exchange the code");
  // Landed on the step-4 request, the message this page exists to show, not on the tokens below it.
  await expect(page).toHaveURL(/#exchange$/);
  await expect(step(page, 4).getByText("The code exchange: the request")).toBeInViewport();
  await expect(step(page, 4).getByText("You are here.")).toBeVisible();

  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(nextBar(page)).toBeInViewport();
  await expect(nextBar(page)).toContainText("Step 6");
  await next(page, "call the protected API");
  const answer = result(page, "Called the API with the access token");
  await expect(answer).toBeInViewport();
  await expect(answer).toContainText("GET /api/me → 200");

  await next(page, "refresh the token");
  await expect(result(page, "Refreshed the access token")).toBeInViewport();
  await next(page, "revoke the grant");
  await expect(result(page, "Revoked the refresh token")).toBeInViewport();
  await expect(nextBar(page).getByRole("button", { name: "Next: begin a new run" })).toBeVisible();
});

test("the steps the run has moved past fold away to one line, and open again", async ({ page }) => {
  await startRun(page);
  const state = await generated(page, "state");
  await authorize(page);
  await expect(step(page, 1)).toContainText(
    /Done: the browser went to the authorization server at \d{2}:\d{2}:\d{2} UTC, asking for openid profile offline_access notes:read\./,
  );
  await expect(page.getByRole("table", { name: "Generated for this run" })).toBeHidden();
  await step(page, 1).getByText("Show step 1 again").click();
  await expect(page.getByRole("table", { name: "Generated for this run" })).toBeVisible();
  expect(await generated(page, "state")).toBe(state);
  // Step 3 is where the run is: open.
  await expect(step(page, 3).getByRole("list", { name: "Checks of the authorization response" })).toBeVisible();
});

test("on a 390 px phone the page after the API's answer is well under half of its old 39 screens", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await obtainTokens(page);
  await next(page, "call the protected API");
  await expect(result(page, "Called the API with the access token")).toBeInViewport();
  const screens = await page.evaluate(() => document.documentElement.scrollHeight / window.innerHeight);
  expect(screens, "the page's height in screens").toBeLessThan(16);
  // Nothing is wider than the phone: the page never scrolls sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expect(nextBar(page)).toBeInViewport();
});
