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

test("front-channel messages pass through the browser's lifeline, in the drawing and in its text", async ({ page }) => {
  await page.goto("/");
  const steps = page.getByRole("list", { name: "The seven steps" }).getByRole("listitem");
  await expect(steps.nth(0)).toContainText("front channel: Client app server → User's browser → Authorization server");
  await expect(steps.nth(2)).toContainText("front channel: Authorization server → User's browser → Client app server");
  await expect(steps.nth(3)).toContainText("back channel: Client app server → Authorization server");

  // The drawing: each of steps 1 and 3 is two arrows, and each arrow ends (or starts) at the browser's lifeline.
  const diagram = page.getByRole("region", { name: "The roles and the seven steps, as a diagram" });
  const centre = async (text: string) => {
    const box = (await diagram.getByText(text, { exact: true }).first().boundingBox())!;
    return box.x + box.width / 2;
  };
  const lanes = {
    browser: await centre("User's browser"),
    client: await centre("Client app server"),
    as: await centre("Authorization server"),
  };
  const ends = async (n: number) =>
    Promise.all(
      (await diagram.locator(`[data-step="${n}"] .flex.items-center`).all()).map(async (line) => {
        const box = (await line.boundingBox())!;
        return [box.x, box.x + box.width];
      }),
    );
  const near = (x: number, lane: number) => Math.abs(x - lane) < 12;
  const [toBrowser, toAs] = await ends(1);
  expect(near(Math.min(...toBrowser), lanes.browser) && near(Math.max(...toBrowser), lanes.client)).toBe(true);
  expect(near(Math.min(...toAs), lanes.browser) && near(Math.max(...toAs), lanes.as)).toBe(true);
  const [asToBrowser, browserToClient] = await ends(3);
  expect(near(Math.min(...asToBrowser), lanes.browser) && near(Math.max(...asToBrowser), lanes.as)).toBe(true);
  expect(near(Math.min(...browserToClient), lanes.browser) && near(Math.max(...browserToClient), lanes.client)).toBe(true);
  expect(await ends(4)).toHaveLength(1);
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
