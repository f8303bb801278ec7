import { expect, test } from "@playwright/test";
import { expectAccessible } from "../support/a11y";
import { authorize, press, result, step } from "../support/walkthrough";

/**
 * The walkthrough beyond bearer tokens (issue #14): with "Use PAR" the request is pushed over the back
 * channel (RFC 9126) and the browser follows a link that carries only client_id and request_uri; with
 * "Bind tokens with DPoP" every token and API request carries a proof of the run's key (RFC 9449).
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

test("the walkthrough with DPoP: every token and API request shows its proof, decoded, and the tokens are DPoP-bound", async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto("/walkthrough");
  const start = page.getByRole("button", { name: "Start the walkthrough" });
  if (!(await start.isVisible())) await page.getByText("Start a run with another client").click();
  await page.getByRole("checkbox", { name: "Bind tokens with DPoP" }).check();
  await page.getByRole("button", { name: /^Start (the walkthrough|with this client)$/ }).click();
  const bound = page.getByText(/^With DPoP: tokens bound to the key [\w-]{43} \(RFC 9449\)$/);
  await expect(bound).toBeVisible();
  const thumbprint = /key ([\w-]{43})/.exec((await bound.textContent()) ?? "")![1];
  // RFC 9449 §10: the authorization request binds the code to the key.
  await step(page, 1).getByText("Each parameter of the URL explained").click();
  await expect(step(page, 1).getByText(thumbprint).first()).toBeVisible();

  await authorize(page);
  await press(page, "Exchange the code for tokens");
  await expect(page.getByRole("status").filter({ hasText: "The ID token is valid" })).toBeVisible();
  const exchange = step(page, 4);
  const claims = exchange.getByRole("table", { name: "DPoP proof: claims" });
  await expect(claims.getByRole("row", { name: /^htm POST/ })).toBeVisible();
  await expect(claims.getByRole("row", { name: /^htu .*\/oauth\/token/ })).toBeVisible();
  await expect(claims.getByRole("row", { name: /^jti / })).toContainText("the server remembers it");
  await expect(exchange.getByRole("table", { name: "DPoP proof: header" }).getByRole("row", { name: /^typ dpop\+jwt/ })).toBeVisible();
  await expect(page.getByRole("row", { name: /^token_type DPoP/ }).first()).toBeVisible();
  await expectAccessible(page, "the walkthrough with DPoP, after the code exchange");

  await press(page, "Call the API");
  const api = result(page, "Called the API with the access token");
  await expect(api).toContainText("GET /api/me → 200");
  await expect(api.getByRole("table", { name: "DPoP proof: claims" }).first().getByRole("row", { name: /^ath / })).toBeVisible();
  await expect(api.getByRole("table", { name: "Request headers" }).first()).toContainText(/DPoP [\w-]{0,6}…/);

  await press(page, "Refresh the access token");
  await expect(result(page, "Refreshed the access token")).toBeVisible();
  await expectAccessible(page, "the walkthrough with DPoP, after a refresh");
});
