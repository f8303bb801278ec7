import { expect, test } from "@playwright/test";
import { expectAccessible } from "../support/a11y";
import { authorize, press, step } from "../support/walkthrough";

/**
 * The walkthrough beyond bearer tokens (issue #14): with "Use PAR" the request is pushed over the back
 * channel (RFC 9126) and the browser follows a link that carries only client_id and request_uri.
 */

test("the walkthrough with PAR: the push, its answer, the short link, and the rest of the flow", async ({ page }) => {
  await page.goto("/walkthrough");
  const start = page.getByRole("button", { name: "Start the walkthrough" });
  if (!(await start.isVisible())) await page.getByText("Start a run with another client").click();
  await page.getByRole("checkbox", { name: "Use PAR" }).check();
  await page.getByRole("button", { name: /^Start (the walkthrough|with this client)$/ }).click();
  await expect(page.getByText("With PAR: the request is pushed first (RFC 9126)")).toBeVisible();
  await expect(
    step(page, 1).getByRole("button", { name: "Push the request, then send the browser to the authorization server" }),
  ).toBeVisible();
  await expectAccessible(page, "the walkthrough with PAR, before the push");

  // The browser's own requests: the authorization endpoint must see only client_id and request_uri.
  const authorizeUrls: URL[] = [];
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (url.pathname === "/oauth/authorize") authorizeUrls.push(url);
  });
  await authorize(page);
  expect(authorizeUrls.length).toBeGreaterThan(0);
  for (const url of authorizeUrls) expect([...url.searchParams.keys()]).toEqual(["client_id", "request_uri"]);

  await expect(step(page, 1)).toContainText("Done: the client pushed the request (RFC 9126), then the browser went");
  await step(page, 1).getByText("Show step 1 again").click();
  const pushed = step(page, 1).getByRole("region", { name: "The pushed authorization request (RFC 9126)" });
  await expect(pushed).toContainText("POST");
  await expect(pushed).toContainText("/oauth/par");
  await expect(pushed).toContainText("201");
  await expect(pushed).toContainText("urn:ietf:params:oauth:request_uri:");
  await expect(pushed.getByText(/\/oauth\/authorize\?client_id=walkthrough&request_uri=urn/)).toBeVisible();

  await press(page, "Exchange the code for tokens");
  await expect(page.getByRole("status").filter({ hasText: "The ID token is valid" })).toBeVisible();
  // The sequence diagram draws the push and the server's answer on the back channel.
  const events = page.getByRole("list", { name: "Recorded events of this run, oldest first" });
  await expect(events.getByRole("listitem").filter({ hasText: "Client pushed the authorization request (back channel)" })).toHaveCount(1);
  await expect(events.getByRole("listitem").filter({ hasText: "Authorization request pushed" })).toHaveCount(1);
  await expectAccessible(page, "the walkthrough with PAR, after the code exchange");
});
