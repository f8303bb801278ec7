import { redact, redactUrl } from "../../events";

/**
 * The lab's own user agent: a browser without a browser (login and consent are plain HTML forms, so
 * fetch with manual redirects and a cookie jar does what a browser does) and a client's back channel.
 * It talks to the real endpoints over HTTP, and records every exchange with its secrets masked
 * (lib/events.ts `redact`): client secrets, passwords, codes, verifiers, tokens and cookies.
 */

export type Fetch = typeof fetch;

/** One request the lab sent and what came back, safe to show. */
export type ShownExchange = {
  /** What this request is in the attack or check, in a few words. */
  label: string;
  method: string;
  url: string;
  body?: Record<string, unknown>;
  status: number;
  /** Where a redirect pointed. */
  location?: string;
  /** The JSON body (masked), or a short text. */
  responseBody?: unknown;
  wwwAuthenticate?: string;
};

export type Answer = {
  status: number;
  headers: Headers;
  /** The parsed JSON body, else the text (HTML pages too). Not masked: only the lab's code reads it. */
  body: unknown;
  text: string;
  location?: URL;
};

const TIMEOUT_MS = 10_000;

export class LabAgent {
  private readonly jar = new Map<string, string>();
  readonly exchanges: ShownExchange[] = [];

  constructor(
    readonly origin: string,
    private readonly fetchImpl: Fetch = fetch,
  ) {}

  private cookieHeader(url: URL): Record<string, string> {
    if (url.origin !== this.origin || this.jar.size === 0) return {};
    return { Cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ") };
  }

  private store(url: URL, response: Response) {
    if (url.origin !== this.origin) return;
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (value === "" || attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a))) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  /**
   * Sends one request (redirects are not followed) and records it. `form` is sent urlencoded with the
   * Origin a browser's form post carries; `quiet` leaves it out of the shown list (HTML pages).
   */
  async send(
    label: string,
    request: {
      method?: "GET" | "POST";
      url: string | URL;
      form?: Record<string, string>;
      headers?: Record<string, string>;
      browser?: boolean;
      quiet?: boolean;
    },
  ): Promise<Answer> {
    const url = new URL(request.url);
    const method = request.method ?? (request.form ? "POST" : "GET");
    const headers: Record<string, string> = { Accept: request.browser ? "text/html" : "application/json", ...request.headers };
    if (request.browser) Object.assign(headers, this.cookieHeader(url));
    if (request.form) {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      if (request.browser) headers.Origin = this.origin;
    }
    const response = await this.fetchImpl(url, {
      method,
      headers,
      redirect: "manual",
      cache: "no-store",
      signal: AbortSignal.timeout(TIMEOUT_MS),
      ...(request.form ? { body: new URLSearchParams(request.form) } : {}),
    });
    if (request.browser) this.store(url, response);
    const text = await response.text();
    let body: unknown = text;
    if (/\bjson\b/i.test(response.headers.get("content-type") ?? "")) {
      try {
        body = JSON.parse(text);
      } catch {
        /* keep the text */
      }
    }
    const locationHeader = response.headers.get("location");
    const location = locationHeader ? new URL(locationHeader, url) : undefined;
    if (!request.quiet) {
      const authorization = headers.Authorization;
      this.exchanges.push({
        label,
        method,
        url: redactUrl(url.href),
        ...(request.form ? { body: redact(request.form) as Record<string, unknown> } : {}),
        ...(authorization
          ? {
              body: {
                ...(request.form ? (redact(request.form) as Record<string, unknown>) : {}),
                Authorization: redact(authorization, "authorization"),
              },
            }
          : {}),
        status: response.status,
        ...(location ? { location: redactUrl(location.href) } : {}),
        ...(text === "" ? {} : { responseBody: typeof body === "string" ? shortText(body) : redact(body) }),
        ...(response.headers.get("www-authenticate") ? { wwwAuthenticate: headerText(response.headers.get("www-authenticate")!) } : {}),
      });
    }
    return { status: response.status, headers: response.headers, body, text, ...(location ? { location } : {}) };
  }
}

/** An HTML page is shown as its title or first heading, not as markup. */
function shortText(text: string): string {
  const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(text)?.[1] ?? /<title>([\s\S]*?)<\/title>/i.exec(text)?.[1];
  if (heading) return `HTML page: ${heading.replace(/<[^>]+>/g, "").trim()}`;
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** The hidden input `name` of a form, read from a page's HTML. */
export function hiddenInput(html: string, name: string): string | undefined {
  for (const tag of html.match(/<input\b[^>]*>/g) ?? []) {
    if (new RegExp(`\\bname="${name}"`).test(tag)) return /\bvalue="([^"]*)"/.exec(tag)?.[1]?.replace(/&amp;/g, "&");
  }
  return undefined;
}

/** RFC 6749 §5.2 / RFC 6750 §3: the error and description of a JSON error body. */
export function oauthError(body: unknown): { error?: string; description?: string } {
  if (!body || typeof body !== "object") return {};
  const { error, error_description } = body as Record<string, unknown>;
  return {
    ...(typeof error === "string" ? { error } : {}),
    ...(typeof error_description === "string" ? { description: error_description } : {}),
  };
}

/** RFC 6750 §3: the error and description of a `WWW-Authenticate: Bearer` challenge. */
export function bearerError(raw: string | null): { error?: string; description?: string } {
  if (!raw) return {};
  const header = headerText(raw);
  const param = (name: string) => new RegExp(`${name}="((?:[^"\\\\]|\\\\.)*)"`).exec(header)?.[1]?.replace(/\\(.)/g, "$1");
  const error = param("error");
  const description = param("error_description");
  return { ...(error ? { error } : {}), ...(description ? { description } : {}) };
}

/** Header values arrive as bytes read as Latin-1; the server writes UTF-8 (a "§" in a description). */
export function headerText(value: string): string {
  const bytes = Buffer.from(value, "latin1");
  const text = bytes.toString("utf8");
  return text.includes("\uFFFD") ? value : text;
}
