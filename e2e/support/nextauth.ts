import { expect, type BrowserContext, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import path from "node:path";
import { decode, type JWT } from "next-auth/jwt";
import { SECRETS, type DemoUser } from "./oauth";

/**
 * The next-auth client (`/app`) in a real browser: sign-in through the authorization server's pages,
 * the session cookie read back (decrypted with AUTH_SECRET, as only the server can), and a watch on
 * everything the browser receives.
 */

/**
 * AUTH_SECRET, or the one the test servers generated on their first start: their databases all live in
 * ./data, beside which it is kept (lib/client/nextauth/session-cookie.ts). Read when needed, after the start.
 */
const authSecret = () => process.env.AUTH_SECRET || readFileSync(path.resolve(__dirname, "../../data/auth-secret"), "utf8").trim();
const SESSION_COOKIE = "authjs.session-token";

export const NEXTAUTH_CLIENT = { id: "nextauth-demo", secret: SECRETS["nextauth-demo"] } as const;
export const basicAuth = (client: { id: string; secret: string } = NEXTAUTH_CLIENT) =>
  `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString("base64")}`;

/**
 * From /app: "Sign in with next-auth", the AS's login page, and its consent page when it is shown
 * (a consent already given to nextauth-demo is remembered). Ends where the decision sends the browser.
 */
export async function signInWithNextAuth(
  page: Page,
  user: DemoUser,
  { decision = "Allow", origin = "" }: { decision?: "Allow" | "Deny"; origin?: string } = {},
) {
  await page.goto(`${origin}/app`);
  await page.getByRole("button", { name: "Sign in with next-auth" }).click();
  await expect(page).toHaveURL(/\/login\?interaction=/);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const consent = page.getByRole("button", { name: decision });
  await expect(consent.or(page.getByRole("heading", { name: /^Signed in as / }))).toBeVisible();
  if (await consent.isVisible()) await consent.click();
  await expect(page).toHaveURL(/\/app(\?|$)/);
}

/** The decrypted session cookie (joined from its chunks, if Auth.js split it), or null. */
export async function sessionToken(context: BrowserContext): Promise<JWT | null> {
  const cookies = await context.cookies();
  const whole = cookies.find((c) => c.name === SESSION_COOKIE)?.value;
  const chunks = cookies
    .filter((c) => c.name.startsWith(`${SESSION_COOKIE}.`))
    .sort((a, b) => Number(a.name.split(".").pop()) - Number(b.name.split(".").pop()))
    .map((c) => c.value)
    .join("");
  const value = whole ?? chunks;
  if (!value) return null;
  return decode({ token: value, secret: authSecret(), salt: SESSION_COOKIE });
}

/**
 * Every response body and header the page receives, and every request it sends (server actions
 * included), kept as text to search for secrets afterwards.
 */
export function watchBrowserTraffic(page: Page) {
  const pending: Promise<void>[] = [];
  const seen: { url: string; text: string }[] = [];
  page.on("request", (request) => {
    seen.push({ url: request.url(), text: `${request.url()}\n${JSON.stringify(request.headers())}\n${request.postData() ?? ""}` });
  });
  page.on("response", (response) => {
    pending.push(
      (async () => {
        let body = "";
        try {
          body = (await response.body()).toString("utf8");
        } catch {
          /* a redirect has no body */
        }
        seen.push({ url: response.url(), text: `${JSON.stringify(response.headers())}\n${body}` });
      })(),
    );
  });
  return {
    /** Fails naming the first response or request that contains any of `secrets`. */
    async expectNoneContain(secrets: Record<string, string | undefined>) {
      await Promise.all(pending);
      expect(seen.length, "the browser received responses").toBeGreaterThan(5);
      for (const [what, secret] of Object.entries(secrets)) {
        expect(secret, `${what} is known to the test`).toBeTruthy();
        const leak = seen.find((s) => s.text.includes(secret!));
        expect(leak?.url, `${what} reached the browser`).toBeUndefined();
      }
      return seen.length;
    },
  };
}

/** The panel "What next-auth just did", and one step of it. */
export const flowPanel = (page: Page) => page.getByRole("complementary", { name: "What next-auth just did" });
export const panelStep = (page: Page, step: number) =>
  flowPanel(page)
    .getByRole("list", { name: "The seven steps in this run" })
    .getByRole("listitem")
    .filter({ has: page.getByText(`Step ${step}`, { exact: true }) });
