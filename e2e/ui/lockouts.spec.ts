import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible } from "../support/a11y";
import { useServer } from "../support/server";
import { ALICE, startRun } from "../support/walkthrough";

/**
 * Sign-in lockouts in a workshop room (LOGIN_MAX_FAILURES=2): one participant's typos on the shared demo
 * account lock only their own browser, the others still sign in as alice; the instructor sees the lockout
 * and lifts it. An account that is not a demo account keeps its limit per account, in every browser.
 */

const PASSWORD = "workshop-instructor-pw";
test.describe.configure({ mode: "serial" });
const server = useServer({ WORKSHOP_MODE: "on", INSTRUCTOR_PASSWORD: PASSWORD, LOGIN_MAX_FAILURES: "2", TEST_MODE: "on" });

let typo: Page;
let other: Page;
let instructor: Page;
const open = async (browser: Browser) => (await browser.newContext({ baseURL: server().baseURL })).newPage();

test.beforeAll(async ({ browser }) => {
  [typo, other, instructor] = await Promise.all([open(browser), open(browser), open(browser)]);
});
test.afterAll(async () => {
  for (const page of [typo, other, instructor]) await page?.context().close();
});

async function toLogin(page: Page) {
  await startRun(page);
  await page.getByRole("button", { name: "Send the browser to the authorization server" }).click();
  await expect(page).toHaveURL(/\/login\?interaction=/);
}

async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("one participant's typos lock alice in their browser only; the username stays in the form, kept by the browser alone", async () => {
  await toLogin(typo);
  for (let i = 0; i < 2; i++) {
    await signIn(typo, "alice", "a typo");
    await expect(typo.getByRole("main").getByRole("alert")).toHaveText("The username or password is incorrect.");
    // What was typed as the username may be a password: the server keeps none of it (issue 12, item 7),
    // in no cookie either; the tab puts it back (issue 17).
    await expect(typo.getByLabel("Username")).toHaveValue("alice");
    await expect(typo.getByLabel("Password")).toHaveValue("");
  }
  expect((await typo.context().cookies()).map((c) => c.name)).not.toContain("authcode_login_username");
  // The page read it once and took it away: the tab keeps nothing typed.
  const kept = () => typo.evaluate(() => sessionStorage.getItem("authcode-lab:sign-in-username"));
  expect(await kept()).toBeNull();
  await signIn(typo, ALICE.username, ALICE.password);
  await expect(typo.getByRole("main").getByRole("alert")).toHaveText(/^Too many failed sign-in attempts/);

  // Another participant, in another browser, signs in as alice with the right password.
  await toLogin(other);
  await signIn(other, ALICE.username, ALICE.password);
  await expect(other).toHaveURL(/\/consent\?|\/walkthrough\?run=/);
});

test("the instructor sees the lockout and lifts it; the participant then signs in", async () => {
  await instructor.goto("/instructor");
  await instructor.getByLabel("Instructor password").fill(PASSWORD);
  await instructor.getByRole("button", { name: "Sign in" }).click();
  const lockouts = instructor.getByRole("table", { name: "Active sign-in lockouts" });
  const row = lockouts.getByRole("row", { name: /^alice, in one browser/ });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("2");
  await expectAccessible(instructor, "the instructor view with a sign-in lockout");
  const desktop = instructor.viewportSize()!;
  await instructor.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(instructor, "the instructor view with a sign-in lockout at 390 px");
  await instructor.setViewportSize(desktop);

  await row.getByRole("button", { name: /^Lift the lockout of alice, in one browser/ }).click();
  await expect(instructor.getByRole("status").filter({ hasText: /^Lifted the sign-in lockout of alice, in one browser/ })).toBeVisible();
  await expect(instructor.getByText("No one is locked out of signing in.")).toBeVisible();

  await signIn(typo, ALICE.username, ALICE.password);
  await expect(typo).toHaveURL(/\/consent\?|\/walkthrough\?run=/);
});

test("an account that is not a demo account is still locked per account, in every browser; the instructor's list follows without a reload", async ({
  browser,
}) => {
  // Two fresh browsers: the first two are signed in as alice by now.
  [typo, other] = await Promise.all([open(browser), open(browser)]);
  await instructor.goto("/instructor");
  await expect(instructor.getByText("No one is locked out of signing in.")).toBeVisible();
  await expect(instructor.getByText(/^Live/)).toBeVisible();
  const created = await typo.request.post(`${server().baseURL}/api/test/users`, {
    data: { username: "real-user", password: "real-user-password" },
  });
  expect(created.status()).toBe(201);
  await toLogin(typo);
  for (let i = 0; i < 2; i++) await signIn(typo, "real-user", "a typo");
  await expect(typo.getByRole("main").getByRole("alert")).toHaveText("The username or password is incorrect.");

  await toLogin(other);
  await signIn(other, "real-user", "real-user-password");
  await expect(other.getByRole("main").getByRole("alert")).toHaveText(/^Too many failed sign-in attempts/);

  // No reload: the failed sign-ins in the live stream redraw the list.
  await expect(
    instructor.getByRole("table", { name: "Active sign-in lockouts" }).getByRole("row", { name: /^real-user, in every browser/ }),
  ).toHaveCount(1);
});
