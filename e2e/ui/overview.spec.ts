import { expect, test } from "@playwright/test";

/** The overview: the three roles and seven steps, and the two ways into the flow. */

test("the overview shows the roles and the seven steps, front and back channel apart", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The OAuth 2.0 authorization code grant, for real");
  const steps = page.getByRole("list", { name: "The seven steps" }).getByRole("listitem");
  await expect(steps).toHaveCount(7);
  for (const n of [1, 2, 3]) await expect(steps.nth(n - 1)).toContainText("front channel");
  for (const n of [4, 5, 6, 7]) await expect(steps.nth(n - 1)).toContainText("back channel");
  for (const lane of ["User's browser", "Client app server", "Authorization server", "Resource server"]) {
    await expect(page.getByText(lane, { exact: true }).first()).toBeVisible();
  }
});

test("from the overview into the walkthrough and to next-auth", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Walk through the flow" }).click();
  await expect(page).toHaveURL(/\/walkthrough/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.goto("/");
  await page.getByRole("link", { name: "Sign in with next-auth" }).click();
  await expect(page).toHaveURL(/\/app$/);
  await expect(page.getByRole("button", { name: "Sign in with next-auth" })).toBeVisible();
});
