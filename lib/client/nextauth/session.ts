import "server-only";
import { cookies } from "next/headers";
import { getToken, type JWT } from "next-auth/jwt";
import { getConfig } from "../../config";
import "./jwt";
import { authSecret, sessionCookieName } from "./session-cookie";

/**
 * The decrypted session cookie, with the tokens: for server code only (server components and server
 * actions), never returned to the browser.
 *
 * It reads the cookie through `cookies()` rather than `auth()`, because after a server action has
 * written a new session cookie (a refresh rotated the tokens), Next.js re-renders the page with
 * `cookies()` updated but `headers()` still carrying the request's old Cookie header, and `auth()`
 * reads `headers()`. Reading the old cookie would show stale tokens.
 */
export async function readSessionToken(): Promise<JWT | null> {
  const config = getConfig();
  const jar = await cookies();
  const cookie = jar
    .getAll()
    .filter((c) => c.value)
    .map((c) => `${c.name}=${c.value}`)
    .join("; ");
  if (!cookie) return null;
  const name = sessionCookieName(config);
  return getToken({
    req: { headers: { cookie } },
    secret: authSecret(config),
    secureCookie: config.secureCookies,
    cookieName: name,
    salt: name,
  });
}

/**
 * After sign-out the session is gone, but the panel still shows what happened to the run (the
 * revocation). The run's correlation id is kept for that in its own small httpOnly cookie: it names
 * the run's redacted events, nothing more.
 */
const LAST_RUN_COOKIE = "authcode_lab_nextauth_run";
const CORRELATION_ID = /^[A-Za-z0-9_-]{16,24}$/;

export async function rememberLastRun(correlationId: string | undefined): Promise<void> {
  const jar = await cookies();
  if (!correlationId) {
    jar.delete(LAST_RUN_COOKIE);
    return;
  }
  jar.set(LAST_RUN_COOKIE, correlationId, {
    httpOnly: true,
    sameSite: "lax",
    secure: getConfig().secureCookies,
    path: "/app",
    maxAge: 60 * 60,
  });
}

export async function lastRun(): Promise<string | undefined> {
  const value = (await cookies()).get(LAST_RUN_COOKIE)?.value;
  return value && CORRELATION_ID.test(value) ? value : undefined;
}
