import { expect, test } from "@playwright/test";
import { useServer } from "../support/server";
import {
  ALICE,
  authorize,
  BOB,
  check,
  collectResponses,
  generated,
  obtainTokens,
  press,
  result,
  runNameOf,
  s256,
  screenshot,
  startRun,
  step,
  WALKTHROUGH_SECRET,
} from "../support/walkthrough";

/**
 * /walkthrough in Chromium: the hand-built client through the seven steps against the real
 * authorization server and API, its teaching-by-failing buttons, its CSRF and mix-up defences, and
 * the isolation of runs between browsers and tabs. Screenshots of each step are attached.
 */

test("the seven steps to the API's answer, then refresh and revocation, with a screenshot of each step", async ({
  page,
  baseURL,
}, testInfo) => {
  await startRun(page);
  const challenge = await generated(page, "code_challenge");
  expect(challenge).toBe(s256(await generated(page, "code_verifier")));
  expect(await generated(page, "state")).toMatch(/^[\w-]{43}$/);
  expect(await generated(page, "nonce")).toMatch(/^[\w-]{43}$/);
  await expect(step(page, 1)).toHaveAttribute("aria-current", "step");
  for (const scope of ["openid", "profile", "offline_access", "notes:read"])
    await expect(page.getByRole("checkbox", { name: scope, exact: true })).toBeChecked();
  await page.getByRole("checkbox", { name: "email", exact: true }).check();
  const url = page.getByRole("figure", { name: /The authorization URL/ });
  await expect(url).toContainText(`code_challenge=${challenge}`);
  await expect(url).toContainText("scope=openid+profile+email+offline_access+notes%3Aread");
  await screenshot(page, testInfo, "step-1-authorization-request");

  // Steps 2 and 3 on the authorization server's own pages.
  await page.getByRole("checkbox", { name: "Ask for consent again (prompt=consent)" }).check();
  await page.getByRole("button", { name: "Send the browser to the authorization server" }).click();
  await expect(page).toHaveURL(/\/login\?interaction=/);
  await page.getByLabel("Username").fill(ALICE.username);
  await page.getByLabel("Password").fill(ALICE.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Allow Walkthrough client to access your account?" })).toBeVisible();
  await screenshot(page, testInfo, "step-2-consent-at-the-authorization-server");
  await page.getByRole("button", { name: "Allow" }).click();

  await expect(page).toHaveURL(/\/walkthrough\?run=[\w-]+#step-3$/);
  await expect(step(page, 3)).toHaveAttribute("aria-current", "step");
  const checks = page.getByRole("list", { name: "Checks of the authorization response" });
  await expect(check(checks, "state matches")).toContainText("passed");
  await expect(check(checks, "iss matches the issuer")).toContainText("passed");
  await expect(check(checks, "iss matches the issuer")).toContainText(baseURL!);
  await expect(page.getByRole("timer", { name: "Time left before the code expires" })).toContainText(/\d+ s left/);
  await expect(page.getByRole("list", { name: "What the authorization server recorded" })).toContainText("User granted consent");
  await screenshot(page, testInfo, "step-3-code-at-the-redirect-uri");

  // Steps 4 and 5: the back channel.
  await press(page, "Exchange the code for tokens");
  // The page lands on the newest exchange: the step-4 request on the back channel.
  await expect(page).toHaveURL(/#exchange$/);
  const exchange = step(page, 4);
  const body = exchange.getByRole("table", { name: "Request body" });
  await expect(body.getByRole("row", { name: /client_secret/ })).toContainText("walk••••");
  await expect(body.getByRole("row", { name: /grant_type/ })).toContainText("authorization_code");
  await expect(body.getByRole("row", { name: /code_verifier/ })).toBeVisible();
  await expect(exchange).toContainText("Response: 200");
  await expect(exchange.getByRole("table", { name: "Response headers" }).getByRole("row", { name: /cache-control/ })).toContainText(
    "no-store",
  );
  const tokens = step(page, 5);
  await expect(tokens).toHaveAttribute("aria-current", "step");
  await expect(tokens.getByRole("status")).toHaveText("The ID token is valid: the client may sign the user in.");
  const idChecks = tokens.getByRole("list", { name: "ID token validation" });
  for (const name of [
    "signature verifies with the server's published key",
    "nonce matches",
    "aud contains this client's client_id",
    "at_hash matches the access token",
  ]) {
    await expect(check(idChecks, name)).toContainText("passed");
  }
  await expect(tokens.getByRole("table", { name: "Access token: header" })).toContainText("at+jwt");
  for (const claim of ["iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope"]) {
    await expect(
      tokens.getByRole("table", { name: "Access token: claims" }).getByRole("rowheader", { name: claim, exact: true }),
    ).toBeVisible();
  }
  for (const claim of ["nonce", "at_hash", "auth_time", "azp"]) {
    await expect(
      tokens.getByRole("table", { name: "ID token: claims" }).getByRole("rowheader", { name: claim, exact: true }),
    ).toBeVisible();
  }
  await expect(tokens.getByRole("timer", { name: "Time left before the access token expires" })).toContainText(/min|s left/);
  await screenshot(page, testInfo, "step-4-5-code-exchange-and-tokens");

  // Steps 6 and 7: the API.
  await press(page, "Call the API");
  const api = result(page, "Called the API with the access token");
  await expect(api).toContainText("GET /api/me → 200; GET /api/notes → 200.");
  await expect(api).toContainText("alice");
  await expect(api.getByRole("table", { name: "Request headers" }).first()).toContainText(/Bearer eyJ\w{3}…\(\d+ chars\)/);
  await expect(step(page, 7)).toHaveAttribute("aria-current", "step");
  await screenshot(page, testInfo, "step-6-7-api-answer");

  // Refresh: a new access token and a rotated refresh token.
  await press(page, "Refresh the access token");
  const refreshed = result(page, "Refreshed the access token");
  await expect(refreshed).toContainText("the old refresh token is spent");
  const compared = refreshed.getByRole("table", { name: "Compared" });
  const oldToken = await compared
    .getByRole("row", { name: /Refresh token sent/ })
    .getByRole("cell")
    .first()
    .innerText();
  const newToken = await compared
    .getByRole("row", { name: /New refresh token/ })
    .getByRole("cell")
    .first()
    .innerText();
  expect(oldToken).toMatch(/^[\w-]{6}…\(43 chars\)$/);
  expect(newToken).toMatch(/^[\w-]{6}…\(43 chars\)$/);
  expect(newToken).not.toBe(oldToken);
  await press(page, "Call the API");
  await expect(result(page, "Called the API with the access token")).toContainText("GET /api/me → 200");
  await screenshot(page, testInfo, "step-7-refresh");

  // Revocation: the API refuses the token afterwards.
  await press(page, "Revoke the tokens");
  const revoked = result(page, "Revoked the refresh token");
  await expect(revoked).toContainText(
    "POST revocation endpoint → 200; then GET /api/me → 401 invalid_token: the API refuses the token now.",
  );
  await press(page, "Refresh the access token");
  await expect(result(page, "The refresh was refused")).toContainText("invalid_grant");
  await screenshot(page, testInfo, "step-7-revocation");

  // The sequence diagram, from every role's recorded events; a row opens its HTTP exchange.
  const diagram = page.getByRole("list", { name: "Recorded events of this run, oldest first" });
  for (const name of [
    "Client sent the browser to the authorization endpoint",
    "Authorization request accepted",
    "User signed in",
    "User granted consent",
    "Authorization response: redirect with a one-time code",
    "Client checked state and iss: response accepted",
    "Client exchanged the code for tokens",
    "Tokens issued for the code",
    "Client validated the ID token: valid",
    "Client called GET /api/me with the access token",
    "Resource server validated the token and served",
    "Refresh token rotated, new access token issued",
    "Refresh token revoked with its grant",
  ]) {
    await expect(diagram.getByRole("listitem").filter({ hasText: name }).first()).toBeVisible();
  }
  const exchangeRow = diagram.getByRole("listitem").filter({ hasText: "Client exchanged the code for tokens" });
  await exchangeRow.click();
  await expect(exchangeRow.getByRole("table", { name: "Request body" })).toContainText("grant_type");
  await expect(exchangeRow.getByRole("table", { name: "Request body" }).getByRole("row", { name: /client_secret/ })).not.toContainText(
    WALKTHROUGH_SECRET,
  );
  const highlighted = await diagram
    .getByRole("listitem")
    .evaluateAll((items) => items.filter((i) => i.getAttribute("aria-current") === "step").length);
  expect(highlighted, "rows of the current step are highlighted").toBeGreaterThan(0);
  await page.getByRole("region", { name: "Sequence diagram of this run" }).scrollIntoViewIfNeeded();
  await screenshot(page, testInfo, "sequence-diagram");
});

test("teaching by failing: a replayed code is refused and revokes its tokens; calls without a token or with a fresh token", async ({
  page,
}, testInfo) => {
  await obtainTokens(page);
  await press(page, "Call the API without a token");
  const noToken = result(page, "Called the API without a token");
  await expect(noToken).toContainText("GET /api/me → 401");
  await expect(noToken.getByRole("table", { name: "Response headers" }).getByRole("row", { name: /www-authenticate/ })).toContainText(
    "Bearer",
  );

  await press(page, "Call the API with an expired token");
  await expect(result(page, "Called the API with an expired token")).toContainText(
    /The first access token has not expired yet: it expires at .+ \(in \d+ s\)/,
  );

  await press(page, "Call the API");
  await expect(result(page, "Called the API with the access token")).toContainText("GET /api/me → 200");
  await press(page, "Replay the code");
  const replay = result(page, "Replayed the code");
  await expect(replay).toContainText("POST /oauth/token → 400 invalid_grant");
  await expect(replay).toContainText("GET /api/me with the earlier access token → 401 invalid_token");
  await expect(replay).toContainText("introspection of the earlier refresh token → active: false");
  await expect(replay).toContainText("The authorization code has already been used.");
  await page
    .getByRole("list", { name: "Recorded events of this run, oldest first" })
    .getByRole("listitem")
    .filter({ hasText: "Code replay detected: the tokens it produced are revoked" })
    .first()
    .scrollIntoViewIfNeeded();
  await screenshot(page, testInfo, "replay-refused");
});

test("consent denied: the walkthrough shows access_denied and ends the flow", async ({ page }, testInfo) => {
  await startRun(page);
  await authorize(page, { user: BOB, decision: "Deny" });
  const callback = step(page, 3);
  await expect(callback.getByRole("alert")).toContainText("The authorization server answered with an error: access_denied");
  await expect(callback.getByRole("alert")).toContainText("The user denied the request.");
  await expect(check(page.getByRole("list", { name: "Checks of the authorization response" }), "state matches")).toContainText("passed");
  await expect(page.getByRole("button", { name: "Exchange the code for tokens" })).toHaveCount(0);
  await screenshot(page, testInfo, "consent-denied");
});

test("a forged state or a wrong iss at the callback is refused visibly, and the run still completes", async ({
  page,
  baseURL,
}, testInfo) => {
  await startRun(page);
  await page.goto(`/walkthrough/callback?code=x&state=forged&iss=${encodeURIComponent(baseURL!)}`);
  const refused = step(page, 3).getByRole("alert");
  await expect(refused).toContainText("An authorization response was refused");
  await expect(check(refused.getByRole("list", { name: "Checks of the refused response" }), "state matches")).toContainText("failed");
  await screenshot(page, testInfo, "forged-state-refused");

  // RFC 9207: the right state from another issuer is refused too (a mix-up attack).
  const state = await generated(page, "state");
  await page.goto(`/walkthrough/callback?code=y&state=${state}&iss=${encodeURIComponent("https://evil.example")}`);
  await expect(refused).toContainText("2 authorization responses were refused");
  await expect(
    check(refused.getByRole("list", { name: "Checks of the refused response" }).first(), "iss matches the issuer"),
  ).toContainText("failed");
  await expect(page.getByRole("button", { name: "Exchange the code for tokens" })).toHaveCount(0);

  // The refused responses did not use up the run: the real one is accepted.
  await authorize(page);
  await expect(check(page.getByRole("list", { name: "Checks of the authorization response" }), "state matches")).toContainText("passed");
  await expect(page.getByRole("button", { name: "Exchange the code for tokens" })).toBeVisible();

  // A browser without a run refuses any response.
  const stranger = await page.context().browser()!.newPage();
  await stranger.goto(`${baseURL}/walkthrough/callback?code=x&state=${state}&iss=${encodeURIComponent(baseURL!)}`);
  await expect(stranger.getByRole("main").getByRole("alert")).toContainText(
    "this browser has no walkthrough run waiting for one: it was refused",
  );
  await stranger.close();
});

test("two browsers run two walkthroughs at once, and neither sees the other's run", async ({ browser }) => {
  const [a, b] = await Promise.all([browser.newContext(), browser.newContext()]);
  const [pageA, pageB] = await Promise.all([a.newPage(), b.newPage()]);
  const [runA, runB] = await Promise.all([obtainTokens(pageA), obtainTokens(pageB, { user: BOB })]);
  expect(runA).not.toBe(runB);
  const nameA = await runNameOf(pageA);
  await Promise.all([pageA, pageB].map((p) => press(p, "Call the API")));
  const username = (p: typeof pageA) =>
    result(p, "Called the API with the access token")
      .getByRole("table", { name: "Response body" })
      .first()
      .getByRole("row", { name: /preferred_username/ });
  await expect(username(pageA)).toContainText("alice");
  await expect(username(pageB)).toContainText("bob");

  await pageB.goto(`/walkthrough?run=${runA}`);
  await expect(pageB.getByRole("main").getByRole("alert")).toContainText("This run is not one of this browser's runs");
  await expect(pageB.getByRole("table", { name: "Generated for this run" })).toHaveCount(0);
  await pageA.goto("/walkthrough");
  await expect(pageA.getByRole("region", { name: "This run", exact: true })).toContainText(`Run ${nameA}`);
  await Promise.all([a.close(), b.close()]);
});

test("two tabs of one browser follow their own runs; the callback finds its run by state", async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  const runOne = await startRun(first);
  const nameOne = await runNameOf(first);
  expect(nameOne, "a run's name is its correlation id's first six characters").toBe((await generated(first, "correlation id")).slice(0, 6));
  const runTwo = await startRun(second);
  const nameTwo = await runNameOf(second);
  expect(runTwo).not.toBe(runOne);
  await first.reload();
  await expect(first.getByRole("region", { name: "This run", exact: true })).toContainText(`Run ${nameOne}`);
  // The first tab goes through the authorization server while the second waits at step 1.
  await authorize(first);
  expect(new URL(first.url()).searchParams.get("run")).toBe(runOne);
  await second.reload();
  await expect(second.getByRole("region", { name: "This run", exact: true })).toContainText(`Run ${nameTwo}`);
  await expect(step(second, 1)).toHaveAttribute("aria-current", "step");
  await expect(
    second.getByRole("navigation", { name: "Your other runs in this browser" }).getByRole("link", { name: `Run ${nameOne}` }),
  ).toHaveAttribute("href", `/walkthrough?run=${runOne}`);
});

test("the client secret and the tokens appear in no page, script or response the browser receives", async ({ page, context }) => {
  const responses = collectResponses(context);
  await obtainTokens(page);
  for (const [button, title] of [
    ["Call the API", "Called the API with the access token"],
    ["Refresh the access token", "Refreshed the access token"],
    ["Call the API without a token", "Called the API without a token"],
    ["Call the API with an expired token", "Called the API with an expired token"],
    ["Replay the code", "Replayed the code"],
    ["Revoke the tokens", "Revoked the refresh token"],
  ]) {
    await press(page, button);
    await expect(result(page, title)).toBeVisible();
  }
  await page.getByRole("list", { name: "Recorded events of this run, oldest first" }).getByRole("listitem").first().click();
  const bodies = await responses.settle();
  expect(bodies.length).toBeGreaterThan(10);
  expect(
    bodies.some((b) => b.url.includes("/_next/static/") && b.body.length > 0),
    "scripts were collected",
  ).toBe(true);
  for (const { url, body } of bodies) {
    expect(body, `the client secret in ${url}`).not.toContain(WALKTHROUGH_SECRET);
    expect(body, `a whole JWT in ${url}`).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{40,}/);
  }
});

test.describe("after the access token expires", () => {
  // The API allows 30 s of clock skew past exp (lib/resource-server/verify-access-token.ts); the test
  // clock (test mode) moves the server past it at once instead of waiting.
  const server = useServer({ ACCESS_TOKEN_TTL_SECONDS: "1", TEST_MODE: "on" });

  test("the API answers 401, the expired-token button shows it, and a refresh gets a working token", async ({ page }, testInfo) => {
    const base = server().baseURL;
    await startRun(page, base);
    await authorize(page);
    await press(page, "Exchange the code for tokens");
    // Expired, but within the API's clock skew: the page says the API still accepts it, and for how long.
    await expect(step(page, 5).getByRole("timer", { name: "Time left before the access token expires" })).toHaveText(
      /^expired; the API still accepts it for (2\d|30) s more \(clock skew\)$/,
      { timeout: 5_000 },
    );
    // The server's records show the access token expired as its expiry passes, without a click.
    await expect(
      page
        .getByRole("region", { name: "The authorization server's records of this run" })
        .getByRole("list", { name: /^States of the access token jti / })
        .getByRole("listitem")
        .last(),
    ).toContainText(/expired \d{2}:\d{2}:\d{2} UTC$/, { timeout: 5_000 });
    const clock = (data: Record<string, number>) => page.request.post(`${base}/api/test/clock`, { data });
    expect((await clock({ advanceSeconds: 32 })).status()).toBe(200);

    await press(page, "Call the API");
    const api = result(page, "Called the API with the access token");
    await expect(api).toContainText("GET /api/me → 401 invalid_token");
    await expect(api).toContainText("The access token has expired: refresh it.");
    await expect(
      api
        .getByRole("table", { name: "Response headers" })
        .first()
        .getByRole("row", { name: /www-authenticate/ }),
    ).toContainText('error="invalid_token"');
    // The browser's clock past the skew too (the test clock moved only the server's): the page says the API refuses it.
    await page.clock.install();
    await page.reload();
    // Forward until the hydrated countdown has ticked past the skew: on a busy machine the page may
    // hydrate after a single jump, and then read the clock where the jump left it.
    const timer = step(page, 7).getByRole("timer", { name: "Time left before the access token expires" });
    await page.clock.fastForward(35_000);
    await expect(async () => {
      await page.clock.fastForward(1_000);
      await expect(timer).toHaveText("expired: the API refuses it now; refresh it", { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await press(page, "Call the API with an expired token");
    await expect(result(page, "Called the API with an expired token")).toContainText(
      "GET /api/me → 401 invalid_token: the API refuses the expired token.",
    );
    await screenshot(page, testInfo, "expired-access-token");

    // The clock back to real time, so the client's own ID token checks (iat not in the future) agree.
    await clock({ offsetSeconds: 0 });
    await press(page, "Refresh the access token");
    await expect(result(page, "Refreshed the access token")).toContainText("issued a new access token");
    await press(page, "Call the API");
    await expect(result(page, "Called the API with the access token")).toContainText("GET /api/me → 200");
    await screenshot(page, testInfo, "refreshed-after-expiry");
  });
});
