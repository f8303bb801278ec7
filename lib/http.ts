/** Small Web-standard helpers shared by the roles: cookies, security headers, the HTML error page. */
import { getConfig } from "./config";
import { peerAddress } from "./peer-address";

/** The banner every page shows in LAB MODE (app/layout.tsx, and the error page below). */
export const LAB_MODE_BANNER = "Lab mode: a deliberately weakened client is registered on this server.";

export function getCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined; // a malformed value (another app on this host may have set it) is no cookie
      }
    }
  }
  return undefined;
}

export class BodyTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`The request body is larger than ${maxBytes} bytes.`);
  }
}

/**
 * Reads a request body as text, never more than `maxBytes`: a declared Content-Length over the limit
 * is refused before reading, and a chunked body is read only up to the limit (BodyTooLarge).
 */
export async function readBody(request: Request, maxBytes: number): Promise<string> {
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) throw new BodyTooLarge(maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new BodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * An HTML form's fields (application/x-www-form-urlencoded), or null for anything else; BodyTooLarge
 * beyond `maxBytes` (`refuseOversizedForm` answers it).
 */
export async function readHtmlForm(request: Request, maxBytes: number): Promise<URLSearchParams | null> {
  if (mediaType(request) !== "application/x-www-form-urlencoded") return null;
  return new URLSearchParams(await readBody(request, maxBytes));
}

/** RFC 9110 §15.5.14: a form post over its limit gets 413 and the error page; nothing more of it is read. */
export async function refuseOversizedForm(handle: () => Promise<Response>): Promise<Response> {
  try {
    return await handle();
  } catch (error) {
    if (error instanceof BodyTooLarge) return errorPage(413, "invalid_request", error.message);
    throw error;
  }
}

/**
 * The same request with its body read into memory, at most `maxBytes` (BodyTooLarge beyond): for a
 * handler of a library that would read a body whole, however large.
 */
export async function withBoundedBody(request: Request, maxBytes: number): Promise<Request> {
  if (request.method === "GET" || request.method === "HEAD") return request;
  const body = await readBody(request, maxBytes);
  return new Request(request.url, { method: request.method, headers: request.headers, body });
}

/** The media type of a request, lower-cased, without parameters. */
export const mediaType = (request: Request) => request.headers.get("content-type")?.split(";")[0].trim().toLowerCase();

/**
 * CSRF defence for our own HTML forms: a form post must come from our own pages. Browsers say so in
 * Sec-Fetch-Site, but only to a trustworthy origin (https, localhost, 127.0.0.1, [::1]); on plain http at
 * a network address (a workshop room) Origin is the only word. Our pages' `Referrer-Policy: same-origin`
 * keeps it there for their own posts; a page with `no-referrer` sends "null", refused like any other site.
 * A request with neither header is not from a browser and cannot carry a victim's cookies unbidden.
 */
export function isSameOriginPost(request: Request, origin: string): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin";
  const sent = request.headers.get("origin");
  return sent === null || sent === origin;
}

export type CookieOptions = { maxAge?: number; secure: boolean; path?: string };

/** An httpOnly, SameSite=Lax cookie (Secure over HTTPS). */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${options.path ?? "/"}`, "HttpOnly", "SameSite=Lax"];
  if (options.maxAge !== undefined) parts.push(`Max-Age=${options.maxAge}`);
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

/**
 * Pages where a user types a password or grants access: never framed (RFC 9700 §4.16), and their URL never
 * sent to another site (§4.2.4); `same-origin` rather than `no-referrer` so their own form posts keep Origin.
 */
export const PAGE_SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy": "frame-ancestors 'none'",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "same-origin",
  "X-Content-Type-Options": "nosniff",
};

/** A 303 to `location`, with cookies to set. */
export function seeOther(location: string, cookies: string[] = []): Response {
  const headers = new Headers({ Location: location, "Cache-Control": "no-store", "Referrer-Policy": "same-origin" });
  for (const c of cookies) headers.append("Set-Cookie", c);
  return new Response(null, { status: 303, headers });
}

/** A 302 (RFC 6749 §4.1.2 uses 302 for the authorization response). */
export function found(location: string, cookies: string[] = []): Response {
  const response = seeOther(location, cookies);
  return new Response(null, { status: 302, headers: response.headers });
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The authorization server's error page, for errors that must not go back to the client
 * (RFC 6749 §4.1.2.1): shown to the user, with the RFC error code, and no redirect.
 */
export function errorPage(status: number, error: string, description: string): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Authorization error · authcode-lab</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f8fafc;color:#0f172a;margin:0;display:flex;flex-direction:column;min-height:100vh}
.page{flex:1;display:grid;place-items:center}
main{max-width:36rem;margin:1.5rem;padding:2rem;background:#fff;border:1px solid #e2e8f0;border-radius:.75rem}
h1{font-size:1.5rem;margin:0 0 1rem}code{background:#fee2e2;color:#991b1b;padding:.1rem .35rem;border-radius:.25rem}
p{line-height:1.6}a{color:#1d4ed8}
.lab{border-bottom:4px solid #d97706;background:#fef3c7;color:#451a03;padding:.75rem 1rem;text-align:center;font-size:1.125rem;font-weight:600}
.lab a{color:inherit}
</style></head>
<body>${getConfig().labMode ? `<div role="region" aria-label="Lab mode" class="lab">${LAB_MODE_BANNER} For a classroom only; see the <a href="/lab">attack lab</a>.</div>` : ""}<div class="page"><main>
<h1>The authorization request was refused</h1>
<p role="alert"><code>${escapeHtml(error)}</code> ${escapeHtml(description)}</p>
<p>The authorization server did not send you back to the application, because it could not verify where it
would be sending you (RFC 6749 §4.1.2.1). Nothing was shared with the application.</p>
<p><a href="/">Back to authcode-lab</a></p>
</main></div></body></html>`;
  return new Response(html, {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", ...PAGE_SECURITY_HEADERS },
  });
}

/**
 * The client's address for the per-IP limits. With no trusted proxy, the socket's address: what a
 * client writes in X-Forwarded-For is its own word. Behind `trustProxyHops` proxies, each appends the
 * address it received the request from, so the client is the entry that many from the right; what
 * stands further left was sent by the client. Unknown (one shared bucket, never a free one) when the
 * socket's address was not recorded.
 */
export function clientIp(headers: Headers, trustProxyHops: number): string {
  const peer = peerAddress(headers) ?? "unknown";
  if (trustProxyHops === 0) return peer;
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  if (forwarded.length === 0) return peer;
  return forwarded[Math.max(0, forwarded.length - trustProxyHops)];
}

/** RFC 6750 §2.1: `credentials = "Bearer" 1*SP b64token`; the scheme is case-insensitive (RFC 9110 §11.1). */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const SCHEME = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?: |$)/;

/**
 * The bearer token of an Authorization header: the token; `undefined` when there is no header or it
 * uses another scheme (RFC 6750 §3.1: no credentials, a bare challenge); `null` when it claims to be
 * Bearer but is malformed (invalid_request).
 */
export function bearerCredentials(header: string | null): string | null | undefined {
  if (header === null) return undefined;
  const scheme = SCHEME.exec(header)?.[1];
  if (scheme && scheme.toLowerCase() !== "bearer") return undefined;
  return BEARER.exec(header)?.[1] ?? null;
}

/** RFC 9449 §7.1: `credentials = "DPoP" 1*SP token68`, the scheme case-insensitive. */
const DPOP = /^DPoP +([A-Za-z0-9\-._~+/]+=*)$/i;

/** An access token as a request presents it (RFC 6750 §2.1 or RFC 9449 §7.1). */
export type PresentedToken = { scheme: "Bearer" | "DPoP"; token: string };

/**
 * The access token of an Authorization header, Bearer or DPoP: `undefined` when there is none (another
 * scheme counts as none), `null` when it claims one of the two schemes but is malformed.
 */
export function accessTokenCredentials(header: string | null): PresentedToken | null | undefined {
  if (header !== null && SCHEME.exec(header)?.[1]?.toLowerCase() === "dpop") {
    const token = DPOP.exec(header)?.[1];
    return token ? { scheme: "DPoP", token } : null;
  }
  const token = bearerCredentials(header);
  return typeof token === "string" ? { scheme: "Bearer", token } : token;
}

/**
 * The other methods of a route that exists only in one mode (test, workshop or lab mode): 404 while the
 * mode is off, as for any unknown path, and 405 while it is on, with the methods it does allow (RFC 9110
 * §15.5.6: a 405 must send Allow).
 */
export const modeOnlyFallback = (enabled: () => boolean, allow: string) => () =>
  enabled()
    ? new Response(null, { status: 405, headers: { Allow: allow, "Cache-Control": "no-store" } })
    : new Response(null, { status: 404, headers: { "Cache-Control": "no-store" } });
