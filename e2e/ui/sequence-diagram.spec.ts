import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "../support/a11y";
import { obtainTokens, press } from "../support/walkthrough";

/**
 * Issue 17, item 6: the run's sequence diagram teaches what the overview teaches. Front-channel messages
 * dashed amber, back-channel solid blue; the first row is the client's 303 that sent the browser to the
 * authorization endpoint; each API call is drawn once, with the API's records on opening; on a 390 px
 * phone the lanes keep their names apart and the diagram scrolls sideways, with a hint that says so.
 */

const diagram = (page: Page) => page.getByRole("list", { name: "Recorded events of this run, oldest first" });
const rowsNamed = (page: Page, name: string) => diagram(page).getByRole("listitem").filter({ hasText: name });
/** The line's drawing of a row's arrow (aria-hidden, so read from its style). */
const arrowStyle = (page: Page, name: string) =>
  rowsNamed(page, name)
    .first()
    .locator("[data-channel]")
    .first()
    .evaluate((el) => ({
      channel: el.getAttribute("data-channel"),
      style: getComputedStyle(el).borderTopStyle,
      color: getComputedStyle(el).borderTopColor,
    }));

test("front channel dashed amber, back channel solid blue; the first row is the client's 303; each API call drawn once", async ({
  page,
}) => {
  await obtainTokens(page);
  await press(page, "Call the API");

  const first = diagram(page).getByRole("listitem").first();
  await expect(first).toContainText("Step 1, front channel, through the browser, Client app server to User's browser:");
  await expect(first).toContainText("Client sent the browser to the authorization endpoint · POST /walkthrough/action → 303");
  await first.click();
  await expect(first.getByText(/^POST http:\/\/127\.0\.0\.1:\d+\/walkthrough\/action$/)).toBeVisible();
  await expect(first.getByRole("table", { name: "Response headers" }).getByRole("row", { name: /location/ })).toContainText(
    "/oauth/authorize?response_type=code",
  );
  await first.click();

  // The colours of the overview's legend (Tailwind's amber-600 and blue-700), as this browser computes them.
  const colour = (name: string) =>
    page.evaluate((v) => {
      const probe = document.body.appendChild(document.createElement("span"));
      probe.style.color = `var(${v})`;
      const value = getComputedStyle(probe).color;
      probe.remove();
      return value;
    }, name);
  const [amber, blue] = [await colour("--color-amber-600"), await colour("--color-blue-700")];
  expect(await arrowStyle(page, "Client sent the browser to the authorization endpoint")).toEqual({
    channel: "front",
    style: "dashed",
    color: amber,
  });
  expect(await arrowStyle(page, "Authorization response: redirect with a one-time code")).toEqual({
    channel: "front",
    style: "dashed",
    color: amber,
  });
  expect(await arrowStyle(page, "Client exchanged the code for tokens")).toEqual({ channel: "back", style: "solid", color: blue });
  expect(await arrowStyle(page, "Client called GET /api/me with the access token")).toEqual({
    channel: "back",
    style: "solid",
    color: blue,
  });

  // One row per API call: the API's own records of it (received, answered) open with it.
  const call = rowsNamed(page, "Client called GET /api/me with the access token");
  await expect(call).toHaveCount(1);
  await expect(
    diagram(page)
      .getByRole("listitem")
      .filter({ hasText: /^.{0,40}Resource server validated the token and served/ }),
  ).toHaveCount(0);
  await call.click();
  const records = call.getByRole("list", { name: "The resource server's records of this call" }).getByRole("listitem");
  await expect(records).toHaveCount(2);
  await expect(records.nth(0)).toContainText("Client called the API with an access token");
  await expect(records.nth(1)).toContainText("Resource server validated the token and served");
});

test("on a 390 px phone the lanes' names stay apart and the diagram scrolls sideways, with a hint", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await obtainTokens(page);
  const section = page.getByRole("region", { name: "Sequence diagram of this run" });
  await section.scrollIntoViewIfNeeded();
  await expect(section.getByText("scroll it sideways to see all four roles")).toBeVisible();
  const scroller = section.getByRole("region", { name: "The diagram's lanes and messages" });
  expect(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  // The lanes' short names, side by side, none over another.
  const names = scroller.locator("[data-lanes] > span > span").filter({ visible: true });
  const boxes = await names.evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, text: el.textContent };
    }),
  );
  expect(boxes.map((b) => b.text)).toEqual(["Browser", "Client", "Auth server", "API"]);
  for (let i = 1; i < boxes.length; i++) expect(boxes[i].left).toBeGreaterThanOrEqual(boxes[i - 1].right - 1);
  // Every row's label is whole: none is clipped by its line limit.
  const clipped = await scroller
    .locator("[data-label]")
    .evaluateAll((els) => els.filter((el) => el.scrollHeight > el.clientHeight + 1).map((el) => el.textContent));
  expect(clipped).toEqual([]);
  // Keyboard users can scroll it: it takes the focus, and the page itself never scrolls sideways.
  await scroller.focus();
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectAccessible(page, "the sequence diagram at 390 px");
});
