import { expect, test, type Locator, type Page } from "@playwright/test";
import { USERS } from "../support/oauth";

/**
 * Keyboard only: the whole walkthrough, from the overview to the API's answer, refresh and revocation,
 * with Tab, Shift+Tab, Enter, Space and typing; no clicks. Each control reached must show where the
 * focus is.
 */

/** Presses Tab until `target` has the focus (at most `max` times), and checks the focus is visible. */
async function tabTo(page: Page, target: Locator, max = 120) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) {
      const visible = await target.evaluate((el) => {
        const style = getComputedStyle(el);
        return el.matches(":focus-visible") && (style.outlineStyle !== "none" || style.boxShadow !== "none");
      });
      expect(visible, "the focused control shows a focus indicator").toBe(true);
      return;
    }
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

/** Tabs to a button and presses Enter, waiting for the page that answers. */
async function activate(page: Page, name: string, key: "Enter" | "Space" = "Enter") {
  const button = page.getByRole("button", { name, exact: true });
  await tabTo(page, button);
  await Promise.all([page.waitForEvent("load"), page.keyboard.press(key)]);
}

test("the whole walkthrough with the keyboard only", async ({ page }) => {
  await page.goto("/");
  // From the overview's navigation to the walkthrough.
  await tabTo(page, page.getByRole("navigation").getByRole("link", { name: "Walkthrough" }));
  await Promise.all([page.waitForURL(/\/walkthrough$/), page.keyboard.press("Enter")]);

  await activate(page, "Start the walkthrough");
  await expect(page).toHaveURL(/\/walkthrough\?run=[\w-]+#step-1$/);

  // A scope toggled with Space, then step 1 sent with Enter.
  const email = page.getByRole("checkbox", { name: "email", exact: true });
  await tabTo(page, email);
  const before = await email.isChecked();
  await page.keyboard.press("Space");
  await expect(email).toBeChecked({ checked: !before });
  await activate(page, "Send the browser to the authorization server");

  // Step 2 on the authorization server: type the credentials, Enter submits the form.
  await expect(page).toHaveURL(/\/login\?interaction=/);
  await tabTo(page, page.getByLabel("Username"));
  await page.keyboard.type(USERS.alice.username);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type(USERS.alice.password);
  await Promise.all([page.waitForURL(/\/consent\?|\/walkthrough\?run=/), page.keyboard.press("Enter")]);
  if (/\/consent\?/.test(page.url())) await activate(page, "Allow");

  // Step 3: back at the client with the code; steps 4 to 7 with the keyboard.
  await expect(page).toHaveURL(/\/walkthrough\?run=[\w-]+#step-3$/);
  await activate(page, "Exchange the code for tokens");
  await expect(page.getByRole("status").filter({ hasText: "The ID token is valid" })).toBeVisible();
  await activate(page, "Call the API");
  await expect(page.getByRole("article", { name: "Result: Called the API with the access token" })).toContainText("200");
  await activate(page, "Refresh the access token", "Space");
  await expect(page.getByRole("article", { name: "Result: Refreshed the access token" })).toContainText("200");
  await activate(page, "Revoke the tokens");
  await expect(page.getByRole("article", { name: "Result: Revoked the refresh token" })).toBeVisible();
});

test("the walkthrough's PAR and DPoP switches with the keyboard only", async ({ page }) => {
  await page.goto("/walkthrough");
  for (const name of ["Use PAR", "Bind tokens with DPoP"]) {
    const box = page.getByRole("checkbox", { name });
    await tabTo(page, box);
    await page.keyboard.press("Space");
    await expect(box).toBeChecked();
  }
  await activate(page, "Start the walkthrough");
  await expect(page.getByText("With PAR: the request is pushed first (RFC 9126)")).toBeVisible();
  await expect(page.getByText(/^With DPoP: tokens bound to the key/)).toBeVisible();
  await activate(page, "Push the request, then send the browser to the authorization server");
  await expect(page).toHaveURL(/\/login\?interaction=|\/consent\?|\/walkthrough\?run=/);
  if (/\/login\?/.test(page.url())) {
    await tabTo(page, page.getByLabel("Username"));
    await page.keyboard.type(USERS.alice.username);
    await page.keyboard.press("Tab");
    await page.keyboard.type(USERS.alice.password);
    await Promise.all([page.waitForURL(/\/consent\?|\/walkthrough\?run=/), page.keyboard.press("Enter")]);
  }
  if (/\/consent\?/.test(page.url())) await activate(page, "Allow");
  await expect(page).toHaveURL(/\/walkthrough\?run=[\w-]+#step-3$/);
  await activate(page, "Exchange the code for tokens");
  await expect(page.getByRole("row", { name: /^token_type DPoP/ }).first()).toBeVisible();
});
