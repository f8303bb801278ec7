import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible } from "../support/a11y";
import { useServer } from "../support/server";
import { ALICE, authorize, BOB, press, result, runNameOf, screenshot, startRun, step } from "../support/walkthrough";

/**
 * The instructor view on a workshop server of its own, with three browsers: the instructor's, and two
 * participants' (alice and bob) running the walkthrough. The instructor's page follows both runs live,
 * without reloading; "expire now" makes a participant's next exchange or API call fail; the lifetimes
 * control changes the lifetime the next code gets; the reset asks for confirmation, then empties the view.
 */

const PASSWORD = "workshop-instructor-pw";

test.describe.configure({ mode: "serial" });
const server = useServer({ WORKSHOP_MODE: "on", INSTRUCTOR_PASSWORD: PASSWORD });

let instructor: Page;
let alice: Page;
let bob: Page;

const open = async (browser: Browser) => (await browser.newContext({ baseURL: server().baseURL })).newPage();
const participant = (name: string) =>
  instructor.getByRole("region", { name: new RegExp(`^${name} with Walkthrough client \\(walkthrough\\)$`) });
const runsOf = (name: string) => participant(name).getByRole("article", { name: /^Run / });

test.beforeAll(async ({ browser }) => {
  [instructor, alice, bob] = await Promise.all([open(browser), open(browser), open(browser)]);
});
test.afterAll(async () => {
  for (const page of [instructor, alice, bob]) await page?.context().close();
});

test("the instructor signs in; a wrong password is refused", async () => {
  await instructor.goto("/");
  await instructor.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Instructor" }).click();
  await expect(instructor.getByRole("heading", { name: "Instructor view" })).toBeVisible();
  await instructor.getByLabel("Instructor password").fill("not-the-password");
  await instructor.getByRole("button", { name: "Sign in" }).click();
  await expect(instructor.getByRole("alert").filter({ hasText: "That is not the instructor password." })).toBeVisible();
  await expectAccessible(instructor, "the instructor's sign-in with an error");
  await instructor.getByLabel("Instructor password").fill(PASSWORD);
  await instructor.getByRole("button", { name: "Sign in" }).click();
  await expect(instructor.getByRole("heading", { name: "Participants' runs" })).toBeVisible();
  await expect(instructor.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  await expect(instructor.getByText("No runs yet.")).toBeVisible();
});

test("two participants' runs appear and advance live, grouped by participant, without reloading the page", async ({}, testInfo) => {
  // Marks this document: if the page reloaded, the mark would be gone.
  await instructor.evaluate(() => {
    (window as unknown as { unreloaded: boolean }).unreloaded = true;
  });

  await startRun(alice);
  await authorize(alice, { user: ALICE });
  await expect(runsOf("alice")).toHaveCount(1);
  await expect(runsOf("alice")).toContainText("Step reached: 3 of 7");
  // One name for a run: the participant's page and the instructor's card say the same.
  const name = await runNameOf(alice);
  await expect(alice.getByRole("region", { name: "This run", exact: true })).toContainText(`Run ${name}`);
  await expect(runsOf("alice")).toHaveAccessibleName(`Run ${name}`);

  await startRun(bob);
  await authorize(bob, { user: BOB });
  await expect(runsOf("bob")).toHaveCount(1);
  await expect(runsOf("bob")).toContainText("Step reached: 3 of 7");

  await press(alice, "Exchange the code for tokens");
  await expect(runsOf("alice")).toContainText("Step reached: 5 of 7");
  await press(alice, "Call the API");
  await expect(result(alice, "Called the API with the access token")).toContainText("GET /api/me → 200");
  await expect(runsOf("alice")).toContainText("Step reached: 7 of 7");
  await expect(runsOf("alice")).toContainText("Done: the API answered");
  await expect(runsOf("bob")).toContainText("Step reached: 3 of 7");

  expect(await instructor.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded)).toBe(true);
  await screenshot(instructor, testInfo, "instructor-two-participants");
  await expectAccessible(instructor, "the instructor view with two participants' runs");
});

test("expire now: bob's code exchange and alice's next API call fail", async () => {
  await runsOf("bob").getByRole("button", { name: "Expire now" }).click();
  await expect(instructor.getByRole("status").filter({ hasText: "1 code and 0 access tokens expired now" })).toBeVisible();
  await press(bob, "Exchange the code for tokens");
  await expect(step(bob, 4)).toContainText("invalid_grant");
  await expect(runsOf("bob")).toContainText("Stuck: the last step failed");

  await runsOf("alice").getByRole("button", { name: "Expire now" }).click();
  await expect(instructor.getByRole("status").filter({ hasText: "0 codes and 1 access token expired now" })).toBeVisible();
  await press(alice, "Call the API");
  await expect(result(alice, "Called the API with the access token").filter({ hasText: "GET /api/me → 401 invalid_token" })).toBeVisible();
});

test("a refusal a participant asked for is not stuck; the lab's runs are listed apart, collapsed, and never stuck", async () => {
  await expect(runsOf("alice")).toHaveCount(1);
  await expect(runsOf("alice")).toContainText("Stuck: the last step failed");
  await press(alice, "Replay the code");
  await expect(result(alice, "Replayed the code")).toContainText("POST /oauth/token → 400 invalid_grant");
  await expect(runsOf("alice")).not.toContainText("Stuck");
  await expect(runsOf("alice")).toContainText("Done: the API answered");
  await press(alice, "Call the API without a token");
  await expect(runsOf("alice")).toContainText("Client called GET /api/me without an access token (refused, as asked)");
  await expect(runsOf("alice")).not.toContainText("Stuck");

  const participantGroups = instructor.getByRole("region", { name: / with / });
  const groups = await participantGroups.count();
  await bob.goto("/lab");
  const card = bob.getByRole("region", { name: "1. Code replay" });
  await card.getByRole("button", { name: "Run the attack" }).click();
  await expect(card.getByRole("status")).toContainText(/^All \d+ attempts were refused\./, { timeout: 30_000 });
  const summary = instructor.getByText(/^Runs made by the lab and the self-check \(\d+\)/);
  const machineRunCount = async () => Number((await summary.textContent())?.match(/\((\d+)\)/)?.[1] ?? 0);
  await expect(summary).toBeVisible();
  const labOnly = await machineRunCount();
  // The self-check also sends requests refused before any run exists (no code_challenge, a wrong client
  // secret): they are its runs too, and no participant appears for them.
  await bob.goto("/self-check");
  await bob.getByRole("button", { name: "Run the self-check" }).click();
  await expect(bob.getByRole("status").filter({ hasText: /^All \d+ requirements pass/ })).toBeVisible({ timeout: 60_000 });

  const labRuns = instructor.getByRole("region", { name: "The lab's runs" });
  // The stream delivers events in order: once the self-check's last runs are listed, so are its first.
  await expect.poll(machineRunCount).toBeGreaterThanOrEqual(labOnly + 5);
  await expect(participantGroups).toHaveCount(groups);
  await expect(labRuns).toBeHidden();
  // Not a participant's: alice's group still has her one run, and the count says where the others are.
  await expect(runsOf("alice")).toHaveCount(1);
  await expect(instructor.getByText(/The lab and the self-check made \d+ runs? more, listed apart below\./)).toBeVisible();
  await summary.click();
  await expect(labRuns.getByRole("article").first()).toContainText("The lab's run: its refusals are the lesson");
  await expect(labRuns).not.toContainText("Stuck");
  await expect(labRuns.getByRole("button", { name: "Expire now" })).toHaveCount(0);
  await expectAccessible(instructor, "the instructor view with the lab's runs open");
  const desktop = instructor.viewportSize()!;
  await instructor.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(instructor, "the instructor view at 390 px");
  await instructor.setViewportSize(desktop);
  await summary.click();
});

test("the lifetimes control changes the lifetime of the next code", async () => {
  await instructor.getByLabel("Authorization code lifetime (seconds)").fill("20");
  await instructor.getByRole("button", { name: "Apply lifetimes" }).click();
  await expect(instructor.getByRole("status").filter({ hasText: "Lifetimes saved" })).toBeVisible();
  await expect(
    instructor.getByRole("table", { name: "Lifetimes in effect" }).getByRole("row", { name: /Authorization code lifetime/ }),
  ).toContainText("20 s (set here)");

  await startRun(alice);
  await authorize(alice, { user: ALICE });
  await expect(alice.getByRole("timer", { name: "Time left before the code expires" })).toHaveText(/^(1?\d|20) s left$/);

  await instructor.getByRole("button", { name: "Use the configured lifetimes" }).click();
  await expect(instructor.getByRole("status").filter({ hasText: "Back to the configured lifetimes." })).toBeVisible();
  await expect(
    instructor.getByRole("table", { name: "Lifetimes in effect" }).getByRole("row", { name: /Authorization code lifetime/ }),
  ).toContainText("60 s");
});

test("lifetimes that contradict each other are refused, and /learn quotes the lifetimes in effect", async () => {
  await instructor.getByLabel("Access token lifetime (seconds)").fill("60");
  await instructor.getByLabel("Refresh token lifetime (seconds)").fill("20");
  await instructor.getByRole("button", { name: "Apply lifetimes" }).click();
  await expect(
    instructor
      .getByRole("alert")
      .filter({ hasText: "Nothing was saved: a refresh token of 20 s would expire before the access token of 60 s" }),
  ).toBeVisible();
  const inEffect = instructor.getByRole("table", { name: "Lifetimes in effect" });
  await expect(inEffect.getByRole("row", { name: /Access token lifetime/ })).toContainText("300 s");
  await expectAccessible(instructor, "the instructor view with contradicting lifetimes refused");

  await instructor.getByLabel("Access token lifetime (seconds)").fill("60");
  await instructor.getByLabel("Refresh token lifetime (seconds)").fill("120");
  await instructor.getByRole("button", { name: "Apply lifetimes" }).click();
  await expect(instructor.getByRole("status").filter({ hasText: "Lifetimes saved" })).toBeVisible();
  await alice.goto("/learn/refresh-and-revocation");
  await expect(alice.getByText(/^Access tokens are short-lived \(1 minute on this server now/)).toBeVisible();
  await alice.goto("/learn/channels");
  await expect(alice.getByText("1 minute on this server now", { exact: false })).toBeVisible();

  await instructor.getByRole("button", { name: "Use the configured lifetimes" }).click();
  await expect(instructor.getByRole("status").filter({ hasText: "Back to the configured lifetimes." })).toBeVisible();
  await alice.goto("/learn/refresh-and-revocation");
  await expect(alice.getByText(/^Access tokens are short-lived \(5 minutes on this server now/)).toBeVisible();
});

test("the reset asks for confirmation, then empties the runs, in another instructor tab too (live)", async () => {
  await expect(runsOf("alice")).toHaveCount(2);
  const otherTab = await instructor.context().newPage();
  await otherTab.goto("/instructor");
  await expect(otherTab.getByRole("region", { name: /^alice with / }).getByRole("article")).toHaveCount(2);

  await instructor.getByRole("link", { name: "Reset the workshop's data…" }).click();
  await expect(instructor.getByRole("heading", { name: "Reset the workshop's data?" })).toBeVisible();
  await expectAccessible(instructor, "the reset's confirmation page");
  await instructor.getByRole("link", { name: "Cancel" }).click();
  await expect(runsOf("alice")).toHaveCount(2);

  await instructor.getByRole("link", { name: "Reset the workshop's data…" }).click();
  await instructor.getByRole("button", { name: "Yes, erase the workshop's data" }).click();
  await expect(instructor.getByRole("status").filter({ hasText: "The workshop's data was reset" })).toBeVisible();
  await expect(instructor.getByText("No runs yet.")).toBeVisible();
  await expect(participant("alice")).toHaveCount(0);
  await expect(participant("bob")).toHaveCount(0);
  // The other tab learns of the reset from its stream (checked every 15 s), without a reload.
  await expect(otherTab.getByText("No runs yet.")).toBeVisible({ timeout: 25_000 });
  await expect(otherTab.getByRole("region", { name: /^alice with / })).toHaveCount(0);
});
