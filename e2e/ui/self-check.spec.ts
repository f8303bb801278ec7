import { expect, test } from "@playwright/test";

/** /self-check: one click runs the conformance check against the real server, and every requirement passes. */
test("Run the self-check: every requirement passes, each with its RFC section", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto("/self-check");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Self-check: is the server sound?");
  await page.getByRole("button", { name: "Run the self-check" }).click();
  await expect(page.getByRole("status")).toContainText(/^All \d+ requirements pass/, { timeout: 30_000 });
  const requirements = page.getByRole("list", { name: "Requirements" }).getByRole("listitem");
  expect(await requirements.count()).toBeGreaterThanOrEqual(20);
  await expect(requirements.filter({ has: page.getByText("fail", { exact: true }) })).toHaveCount(0);
  await expect(requirements.filter({ has: page.getByText("pass", { exact: true }) })).toHaveCount(await requirements.count());
  await expect(
    requirements.filter({
      hasText: "RFC 7636 §4.4.1, RFC 9700 §2.1.1 — An authorization request without a code_challenge is refused (invalid_request): pass",
    }),
  ).toHaveCount(1);
  await expect(requirements.filter({ hasText: "A code redeemed a second time is refused (invalid_grant): pass" })).toHaveCount(1);
  await expect(requirements.filter({ hasText: "RFC 9700 §4.14.2 — After a reuse the whole family is revoked" })).toContainText("pass");
  // The requests it sent are shown, with secrets masked.
  await page.getByText(/The \d+ requests the self-check sent/).click();
  await expect(page.getByRole("list", { name: "Requests sent" })).toBeVisible();
  await expect(page.locator("body")).not.toContainText("walkthrough-demo-secret");
  await expect(page.locator("body")).not.toContainText("alice-demo-password");
});
