import { expect, test, type Locator, type Page } from "@playwright/test";
import { expectAccessible } from "../support/a11y";
import { authorize, generated, press, s256, step } from "../support/walkthrough";

/**
 * /learn: seven chapters in order, each ending in a button that runs its part for real: a walkthrough
 * run (landing at step 1 with its generated values) or lab attacks (every attempt refused).
 */

const CHAPTERS = [
  "The roles",
  "Front and back channel",
  "PKCE and state",
  "Tokens and their claims",
  "Refresh and revocation",
  "What the lab's attacks teach",
  "Beyond bearer tokens",
];

const runIt = (page: Page) => page.getByRole("region", { name: "Run it" });

/** Opens chapter `n` (1-based) from the index, by its link. */
async function openChapter(page: Page, n: number) {
  await page.goto("/learn");
  await page
    .getByRole("list", { name: "Chapters" })
    .getByRole("link", { name: `${n}. ${CHAPTERS[n - 1]}`, exact: true })
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(CHAPTERS[n - 1]);
}

/** The walkthrough at step 1 of a fresh run, its PKCE pair and state really generated. */
async function expectFreshWalkthroughRun(page: Page) {
  await expect(page).toHaveURL(/\/walkthrough\?run=[\w-]+#step-1$/);
  await expect(step(page, 1)).toBeVisible();
  const verifier = await generated(page, "code_verifier");
  const challenge = await generated(page, "code_challenge");
  const state = await generated(page, "state");
  expect(verifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
  expect(challenge).toBe(s256(verifier));
  expect(state.length).toBeGreaterThanOrEqual(16);
  return new URL(page.url()).searchParams.get("run")!;
}

/** A lab card's verdict, shown inline on the chapter. */
async function expectRefused(scope: Locator, title: string) {
  const card = scope.getByRole("region", { name: title });
  await expect(card.getByRole("status")).toContainText(/^(All \d+ attempts were|Its one attempt was) refused\./, { timeout: 60_000 });
  return card;
}

const attempt = (card: Locator, name: string) =>
  card.getByRole("list", { name: "Attempts" }).getByRole("listitem").filter({ hasText: name });

test("the overview and the navigation lead to /learn, whose seven chapters are in order", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Learn it in seven chapters" }).click();
  await expect(page).toHaveURL(/\/learn$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Learn: the authorization code grant in seven chapters");
  await page.goto("/lab");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Learn", exact: true }).click();
  await expect(page).toHaveURL(/\/learn$/);
  const links = page.getByRole("list", { name: "Chapters" }).getByRole("link");
  await expect(links).toHaveText(CHAPTERS.map((t, i) => `${i + 1}. ${t}`));
});

test("next and previous walk through the chapters in order, each naming its RFC sections", async ({ page }) => {
  await page.goto("/learn");
  await page.getByRole("link", { name: "Start with chapter 1: The roles" }).click();
  const pager = page.getByRole("navigation", { name: "Chapters" });
  for (const [i, title] of CHAPTERS.entries()) {
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(page.getByRole("list", { name: "RFC sections of this chapter" }).getByRole("listitem").first()).toContainText(
      /(RFC \d{4}|OpenID Connect Core) §\d/,
    );
    await expect(runIt(page).getByRole("button").first()).toBeVisible();
    if (i > 0) await expect(pager.getByRole("link", { name: `Previous: ${i}. ${CHAPTERS[i - 1]}` })).toBeVisible();
    if (i < CHAPTERS.length - 1) await pager.getByRole("link", { name: `Next: ${i + 2}. ${CHAPTERS[i + 1]}` }).click();
  }
  await expect(pager.getByRole("link", { name: /^Next:/ })).toHaveCount(0);
  await expect(pager.getByRole("link", { name: "On to the lab" })).toBeVisible();
  for (let i = CHAPTERS.length - 1; i > 0; i--) {
    await pager.getByRole("link", { name: `Previous: ${i}. ${CHAPTERS[i - 1]}` }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(CHAPTERS[i - 1]);
  }
  await expect(pager.getByRole("link", { name: /^Previous:/ })).toHaveCount(0);
  await expect(page).toHaveURL(/\/learn\/roles$/);
});

/** Presses Tab until `target` has the focus (at most 40 presses). */
async function tabToIn(page: Page, target: Locator) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error("Tab never reached the element");
}

test("keyboard only: from the index to chapter 2, then its button starts a walkthrough run", async ({ page }) => {
  await page.goto("/learn");
  const tabTo = (target: Locator) => tabToIn(page, target);
  await tabTo(page.getByRole("list", { name: "Chapters" }).getByRole("link", { name: "1. The roles" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The roles");
  await tabTo(page.getByRole("link", { name: "Next: 2. Front and back channel" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Front and back channel");
  await tabTo(runIt(page).getByRole("button", { name: "Start a walkthrough run" }));
  await page.keyboard.press("Enter");
  await expectFreshWalkthroughRun(page);
});

test("keyboard only: a lab run starts with Enter and keeps the focus on its button", async ({ page }) => {
  await page.goto("/learn/refresh-and-revocation");
  const button = runIt(page).getByRole("button", { name: "Run the refresh token reuse attack" });
  await tabToIn(page, button);
  await page.keyboard.press("Enter");
  await expectRefused(runIt(page), "6. Refresh token reuse after rotation");
  await expect(button).toBeFocused();
});

test("1. the roles: the button starts a walkthrough run at step 1, as the demo client", async ({ page }) => {
  await openChapter(page, 1);
  await runIt(page).getByRole("button", { name: "Start a walkthrough run" }).click();
  await expectFreshWalkthroughRun(page);
  await expect(page.getByRole("region", { name: "This run", exact: true })).toContainText("the demo client");
});

test("2. front and back channel: the button starts a walkthrough run; a second press starts another", async ({ page }) => {
  await openChapter(page, 2);
  await runIt(page).getByRole("button", { name: "Start a walkthrough run" }).click();
  const first = await expectFreshWalkthroughRun(page);
  await openChapter(page, 2);
  await runIt(page).getByRole("button", { name: "Start a walkthrough run" }).click();
  const second = await expectFreshWalkthroughRun(page);
  expect(second).not.toBe(first);
});

test("3. PKCE and state: the button runs lab cards 2 and 4, every attempt refused", async ({ page }) => {
  test.setTimeout(120_000);
  await openChapter(page, 3);
  await runIt(page).getByRole("button", { name: "Run the PKCE and state attacks" }).click();
  const pkce = await expectRefused(runIt(page), "2. A stolen code without its PKCE verifier");
  await expect(attempt(pkce, "Without a code_verifier")).toContainText("code_verifier is required (PKCE).");
  await expect(attempt(pkce, "With a wrong code_verifier")).toContainText("code_verifier does not match the code_challenge.");
  const state = await expectRefused(runIt(page), "4. A forged or missing state (CSRF)");
  await expect(attempt(state, "A forged state")).toContainText("Stopped by: state matches (RFC 6749 §10.12)");
  await expect(
    runIt(page)
      .getByRole("status")
      .filter({ hasText: /^Finished:/ }),
  ).toHaveText("Finished: 2 of 2 attacks were refused in every attempt.");
});

test("4. tokens: the walkthrough run taken to its tokens shows them decoded; the forged-token attacks are refused", async ({ page }) => {
  test.setTimeout(120_000);
  await openChapter(page, 4);
  await runIt(page).getByRole("button", { name: "Run the forged-token attacks" }).click();
  const card = await expectRefused(runIt(page), "7. Forged and misused tokens at the API");
  await expect(attempt(card, "the ID token")).toContainText("Stopped by: typ is at+jwt");
  await expect(attempt(card, "a token for another audience")).toContainText("The token's audience is not this API (aud).");

  await runIt(page).getByRole("button", { name: "Start a walkthrough run" }).click();
  await expectFreshWalkthroughRun(page);
  await authorize(page);
  await press(page, "Exchange the code for tokens");
  const tokens = step(page, 5);
  await expect(tokens.getByRole("table", { name: "Access token: header" })).toContainText("at+jwt");
  await expect(tokens.getByRole("table", { name: "Access token: claims" })).toContainText("client_id");
  await expect(tokens.getByRole("table", { name: "ID token: claims" })).toContainText("nonce");
  await expect(tokens.getByRole("status").filter({ hasText: "The ID token is valid" })).toBeVisible();
});

test("5. refresh and revocation: the button runs lab card 6, the reuse revokes the family", async ({ page }) => {
  test.setTimeout(120_000);
  await openChapter(page, 5);
  await runIt(page).getByRole("button", { name: "Run the refresh token reuse attack" }).click();
  const card = await expectRefused(runIt(page), "6. Refresh token reuse after rotation");
  await expect(attempt(card, "The rotated refresh token")).toContainText("400 invalid_grant");
  await expect(attempt(card, "The newest refresh token of the family")).toContainText("reuse detection: the whole family is revoked");
  await expect(runIt(page).getByRole("button", { name: "Start a walkthrough run" })).toBeVisible();
});

test("6. the lab chapter runs all eight cards, every attempt of each refused", async ({ page }) => {
  test.setTimeout(300_000);
  await openChapter(page, 6);
  await runIt(page).getByRole("button", { name: "Run all the lab's attacks" }).click();
  await expect(
    runIt(page)
      .getByRole("status")
      .filter({ hasText: /^Finished:/ }),
  ).toHaveText("Finished: 8 of 8 attacks were refused in every attempt.", { timeout: 240_000 });
  for (const title of [
    "1. Code replay",
    "2. A stolen code without its PKCE verifier",
    "3. A swapped redirect URI",
    "4. A forged or missing state (CSRF)",
    "5. Authorization server mix-up",
    "6. Refresh token reuse after rotation",
    "7. Forged and misused tokens at the API",
    "8. A code redeemed by a different client",
  ]) {
    await expectRefused(runIt(page), title);
  }
});

test("7. beyond bearer tokens: the chapter runs the cards that PAR and DPoP answer, every attempt refused", async ({ page }) => {
  test.setTimeout(180_000);
  await openChapter(page, 7);
  await expect(page.getByRole("list", { name: "The lab's cards" })).toContainText("9. A tampered authorization link.");
  await expectAccessible(page, "/learn/beyond-bearer-tokens");
  await runIt(page).getByRole("button", { name: "Run the attacks that PAR stops" }).click();
  const card = await expectRefused(runIt(page), "9. A tampered authorization link");
  await expect(attempt(card, "A wider scope beside the request_uri")).toContainText("carries only client_id and request_uri");
  await expect(attempt(card, "The attacker's request_uri in the victim client's link")).toContainText("pushed by another client");
  await runIt(page).getByRole("button", { name: "Run the attacks that DPoP stops" }).click();
  for (const title of [
    "10. A stolen access token replayed from another machine",
    "11. A DPoP proof replayed",
    "12. A refresh token stolen from a public client",
  ]) {
    await expectRefused(runIt(page), title);
  }
  await expectAccessible(page, "/learn/beyond-bearer-tokens after its lab runs");
});
