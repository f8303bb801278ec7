import { expect, test, type Locator, type Page, type TestInfo } from "@playwright/test";
import { createHash } from "node:crypto";
import { check, obtainTokens, press, result, step } from "../support/walkthrough";

/**
 * The server's state laid open on /walkthrough: the authorization server's records of the run (code,
 * access tokens, refresh tokens) with their states over time, and the API's validation check by check,
 * each with its RFC section. By role and accessible name only.
 */

const records = (page: Page) => page.getByRole("region", { name: "The authorization server's records of this run" });
const states = (page: Page, name: RegExp) => records(page).getByRole("list", { name });
/** A state as the timeline shows it: its name, its time of day, and what caused it if the server knows. */
const state = (name: string, cause?: string) => new RegExp(`${name} \\d{2}:\\d{2}:\\d{2} UTC${cause ? ` \\(by ${cause}\\)` : ""}$`);
const VALIDATION_CHECKS = 12;

/** A screenshot of one region, saved in the test's output folder and attached to its report. */
async function screenshot(region: Locator, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await region.screenshot({ path });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

async function checksOf(page: Page, request: string, status: number): Promise<Locator> {
  const answer = step(page, 7)
    .getByRole("article", { name: new RegExp(`^Checks of ${request.replace("/", "\\/")} at \\d{2}:\\d{2}:\\d{2} UTC → ${status}$`) })
    .first();
  await expect(answer).toBeVisible();
  return answer;
}

test("the state view follows a replay: the code issued, consumed, then revoked with the access token", async ({ page }, testInfo) => {
  await obtainTokens(page);

  // The code is named by the first characters of the SHA-256 the server stores, never by itself.
  // Step 3 is folded once the run has moved past it: open it to read the code.
  await step(page, 3).getByText("Show step 3 again").click();
  const code = (
    await step(page, 3)
      .getByRole("table", { name: /^Received at the redirect URI/ })
      .getByRole("row", { name: /^code\b/ })
      .getByRole("cell")
      .first()
      .innerText()
  ).trim();
  const hash = createHash("sha256").update(code).digest("base64url");
  const codeStates = states(page, new RegExp(`^States of the authorization code hash ${hash.slice(0, 6)}…$`));
  await expect(codeStates.getByRole("listitem")).toHaveText([state("issued"), state("consumed")]);
  await expect(states(page, /^States of the access token jti \S+$/).getByRole("listitem")).toHaveText([state("issued")]);
  await expect(states(page, /^States of the refresh token hash \S{6}…$/).getByRole("listitem")).toHaveText([state("issued")]);
  await expect(records(page)).not.toContainText(code);
  await expect(records(page)).not.toContainText(hash.slice(0, 7));

  await press(page, "Replay the code");
  await expect(result(page, "Replayed the code")).toContainText("POST /oauth/token → 400 invalid_grant");
  await expect(codeStates.getByRole("listitem")).toHaveText([state("issued"), state("consumed"), state("revoked", "a replay of the code")]);
  await expect(states(page, /^States of the access token jti \S+$/).getByRole("listitem")).toHaveText([
    state("issued"),
    state("revoked", "a replay of the code"),
  ]);
  await expect(states(page, /^States of the refresh token hash \S{6}…$/).getByRole("listitem")).toHaveText([
    state("issued"),
    state("revoked", "a replay of the code"),
  ]);

  // The replay's refusals name their error and link the section behind it.
  const replay = result(page, "Replayed the code");
  await expect(replay).toContainText("refused with invalid_grant (RFC 6749 §5.2): The authorization code has already been used.");
  await expect(replay.getByRole("link", { name: "RFC 6749 §5.2" }).first()).toHaveAttribute(
    "href",
    "https://www.rfc-editor.org/rfc/rfc6749#section-5.2",
  );
  await screenshot(records(page), testInfo, "server-records-after-replay");
});

test("the API step shows the checks: all passed for a success, revocation failed after a revocation, later checks not run", async ({
  page,
}, testInfo) => {
  await obtainTokens(page);
  await press(page, "Call the API");

  const served = await checksOf(page, "GET /api/notes", 200);
  const servedChecks = served.getByRole("list", { name: "Checks of GET /api/notes, in order" }).getByRole("listitem");
  await expect(servedChecks).toHaveCount(VALIDATION_CHECKS);
  await expect(check(served.getByRole("list"), "passed")).toHaveCount(VALIDATION_CHECKS);
  await expect(served.getByRole("link", { name: "RFC 9068 §2.1" })).toHaveAttribute(
    "href",
    "https://www.rfc-editor.org/rfc/rfc9068#section-2.1",
  );

  await press(page, "Revoke the tokens");
  const refused = await checksOf(page, "GET /api/me", 401);
  await expect(refused).toContainText(
    "Refused by the check Not revoked: its jti looked up in the authorization server's records (RFC 7009 §2): The token has been revoked.",
  );
  const refusedChecks = refused.getByRole("list", { name: "Checks of GET /api/me, in order" }).getByRole("listitem");
  await expect(refusedChecks).toHaveCount(VALIDATION_CHECKS);
  await expect(refusedChecks.nth(8)).toContainText("passed: sub, client_id, iat and jti present");
  await expect(refusedChecks.nth(9)).toContainText("failed: Not revoked");
  await expect(refusedChecks.nth(10)).toContainText("not run: Sender-constrained");
  await expect(refusedChecks.nth(11)).toContainText("not run: The token grants the scope");
  await expect(refused.getByRole("link", { name: "RFC 7009 §2" }).first()).toHaveAttribute(
    "href",
    "https://www.rfc-editor.org/rfc/rfc7009#section-2",
  );

  // The revocation's own result names the refusal too, with its section.
  await expect(result(page, "Revoked the refresh token")).toContainText(
    "GET /api/me after revocation: refused with invalid_token (RFC 6750 §3.1): The token has been revoked.",
  );
  await press(page, "Call the API without a token");
  await expect(result(page, "Called the API without a token")).toContainText("refused with no access token (RFC 6750 §3.1)");
  await screenshot(
    step(page, 7).getByRole("region", { name: "The API's checks, as the resource server recorded them" }),
    testInfo,
    "api-checks",
  );
});

test("the lab's code-replay card shows the attacked grant's records: the code consumed, then revoked with its tokens", async ({
  page,
}, testInfo) => {
  await page.goto("/lab");
  const card = page.getByRole("region", { name: "1. Code replay" });
  await card.getByRole("button", { name: "Run the attack" }).click();
  await expect(card.getByRole("status")).toContainText(/^(All \d+ attempts were|Its one attempt was) refused\./, { timeout: 30_000 });
  const grant = card.getByRole("region", { name: "The authorization server's records of the attacked grant" });
  await expect(grant.getByRole("list", { name: /^States of the authorization code hash \S{6}…$/ }).getByRole("listitem")).toHaveText([
    state("issued"),
    state("consumed"),
    state("revoked", "a replay of the code"),
  ]);
  await expect(grant.getByRole("list", { name: /^States of the access token jti \S+$/ }).getByRole("listitem")).toHaveText([
    state("issued"),
    state("revoked", "a replay of the code"),
  ]);
  await expect(grant.getByRole("list", { name: /^States of the refresh token hash \S{6}…$/ }).getByRole("listitem")).toHaveText([
    state("issued"),
    state("revoked", "a replay of the code"),
  ]);
  await expect(card.getByRole("link", { name: "§10.5" })).toHaveAttribute("href", "https://www.rfc-editor.org/rfc/rfc6749#section-10.5");
  await screenshot(grant, testInfo, "lab-code-replay-records");
});
