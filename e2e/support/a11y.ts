import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** WCAG 2.1 levels A and AA, as axe-core tags them. */
const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** axe-core on the page as it is now: zero WCAG 2.1 A/AA violations, or each one listed with its elements. */
export async function expectAccessible(page: Page, what: string) {
  await page.waitForLoadState("domcontentloaded");
  // A page re-rendered by a server action gets its <title> back a moment later: check the settled page.
  await expect(page).toHaveTitle(/\S/);
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  const found = violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes
        .slice(0, 5)
        .map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1, 2).join("").trim()}`)
        .join("\n    ")}`,
  );
  expect(found, `axe-core violations on ${what}`).toEqual([]);
}
