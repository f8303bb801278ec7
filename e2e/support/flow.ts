import { expect } from "@playwright/test";
import type { DemoUser } from "./oauth";

/**
 * The user's browser in the front channel, without a browser: the login and consent pages are plain
 * HTML forms, so fetch with manual redirects and a small cookie jar does what a browser does. Each
 * test makes its own UserAgent (its own jar), so tests stay independent when run in parallel.
 */
export class UserAgent {
  private readonly jar = new Map<string, string>();

  constructor(readonly baseURL: string) {}

  get origin() {
    return new URL(this.baseURL).origin;
  }

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  private cookieHeader(): Record<string, string> {
    return this.jar.size ? { Cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ") } : {};
  }

  private store(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a)) || value === "";
      if (expired) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async get(url: string | URL): Promise<Response> {
    const response = await fetch(new URL(url, this.baseURL), { redirect: "manual", headers: this.cookieHeader() });
    this.store(response);
    return response;
  }

  /** A form submission: urlencoded, with the Origin header a browser sends on POST. */
  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(new URL(path, this.baseURL), {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: this.origin, ...this.cookieHeader(), ...headers },
      body: new URLSearchParams(fields),
    });
    this.store(response);
    return response;
  }
}

/** Where a redirect goes, resolved against the server. */
export function locationOf(response: Response, baseURL: string): URL {
  const location = response.headers.get("location");
  expect(location, `a redirect from ${response.url} (status ${response.status})`).toBeTruthy();
  return new URL(location!, baseURL);
}

export const interactionOf = (url: URL) => url.searchParams.get("interaction") ?? "";

/** The hidden input `name` of a form, read from the page's HTML. */
export function hiddenInput(html: string, name: string): string | undefined {
  for (const tag of html.match(/<input\b[^>]*>/g) ?? []) {
    if (new RegExp(`\\bname="${name}"`).test(tag)) return /\bvalue="([^"]*)"/.exec(tag)?.[1];
  }
  return undefined;
}

export type FrontChannelResult = {
  /** The final redirect to the client: the authorization response. */
  callback: URL;
  /** The pages the user went through, in order. */
  steps: ("login" | "consent")[];
};

export type Decision = "allow" | "deny";

/**
 * Drives an authorization request through the authorization server's pages until it comes back to
 * `redirectUri`: signs in as `user` when asked, and answers the consent page with `decision` when asked.
 */
export async function runFrontChannel(
  agent: UserAgent,
  authorizationUrl: URL,
  redirectUri: string,
  { user, decision = "allow" }: { user?: DemoUser; decision?: Decision } = {},
): Promise<FrontChannelResult> {
  const steps: FrontChannelResult["steps"] = [];
  const response = await agent.get(authorizationUrl);
  expect(response.status, "the authorization endpoint redirects").toBe(302);
  let next = locationOf(response, agent.baseURL);

  if (isPage(next, agent, "/login")) {
    if (!user) throw new Error(`The server asked for a login: ${next.href}`);
    steps.push("login");
    next = await signIn(agent, next, user);
  }
  if (isPage(next, agent, "/consent")) {
    steps.push("consent");
    next = await answerConsent(agent, interactionOf(next), decision);
  }
  expect(`${next.origin}${next.pathname}`, "the authorization response goes to the redirect URI").toBe(redirectUri);
  return { callback: next, steps };
}

const isPage = (url: URL, agent: UserAgent, path: string) => url.origin === agent.origin && url.pathname === path;

/** GET /login?interaction=..., then POST /login/submit; returns where the 303 goes. */
export async function signIn(
  agent: UserAgent,
  loginUrl: URL,
  user: { username: string; password: string },
  headers: Record<string, string> = {},
): Promise<URL> {
  const page = await agent.get(loginUrl);
  expect(page.status, "the login page").toBe(200);
  const html = await page.text();
  const interaction = hiddenInput(html, "interaction");
  expect(interaction, "the login form carries the interaction").toBe(interactionOf(loginUrl));
  const response = await agent.post(
    "/login/submit",
    { interaction: interaction!, username: user.username, password: user.password },
    headers,
  );
  expect(response.status, "the login form answers with 303 See Other").toBe(303);
  return locationOf(response, agent.baseURL);
}

/** GET /consent?interaction=... (reading the csrf token), then POST /consent/submit. */
export async function answerConsent(agent: UserAgent, interaction: string, decision: Decision): Promise<URL> {
  const { csrf } = await openConsent(agent, interaction);
  const response = await agent.post("/consent/submit", { interaction, csrf, decision });
  expect(response.status, "the consent form answers with 303 See Other").toBe(303);
  return locationOf(response, agent.baseURL);
}

export async function openConsent(agent: UserAgent, interaction: string): Promise<{ csrf: string; html: string; response: Response }> {
  const response = await agent.get(`/consent?interaction=${encodeURIComponent(interaction)}`);
  expect(response.status, "the consent page").toBe(200);
  const html = await response.text();
  const csrf = hiddenInput(html, "csrf");
  expect(csrf, "the consent form carries a csrf token").toBeTruthy();
  expect(hiddenInput(html, "interaction")).toBe(interaction);
  return { csrf: csrf!, html, response };
}
