import { hashToken, randomToken } from "../../crypto";
import { getCookie, serializeCookie } from "../../http";

/**
 * The browser's walkthrough runs: an httpOnly, SameSite=Lax cookie on /walkthrough holding the random
 * keys of its most recent runs. The server stores only each key's SHA-256, so the database alone opens
 * no run. Several keys let two tabs of one browser each follow their own run (the page's URL names
 * which, and the callback finds it by its state); another browser has other keys and sees nothing.
 */

export const RUNS_COOKIE = "walkthrough_runs";
export const RUNS_COOKIE_PATH = "/walkthrough";
export const MAX_RUNS_PER_BROWSER = 5;
export const RUNS_COOKIE_MAX_AGE = 24 * 60 * 60;

const KEY = /^[A-Za-z0-9_-]{43}$/;

/** The run keys the browser sent, oldest first; malformed ones are ignored. */
export function readRunKeys(request: Request): string[] {
  const value = getCookie(request, RUNS_COOKIE);
  return (value?.split(".") ?? []).filter((k) => KEY.test(k)).slice(-MAX_RUNS_PER_BROWSER);
}

/** Same, from the raw Cookie header (a page reads it through next/headers). */
export const readRunKeysFromHeader = (cookieHeader: string | null): string[] =>
  readRunKeys(new Request("http://cookie.invalid/", { headers: cookieHeader ? { cookie: cookieHeader } : {} }));

/** @see RFC 6265bis §4.1: the Set-Cookie for a browser's run keys. */
export function runsCookie(keys: string[], secure: boolean): string {
  return serializeCookie(RUNS_COOKIE, keys.slice(-MAX_RUNS_PER_BROWSER).join("."), {
    secure,
    path: RUNS_COOKIE_PATH,
    maxAge: RUNS_COOKIE_MAX_AGE,
  });
}

export const newRunKey = (): string => randomToken(32);
export const runKeyHash = (key: string): string => hashToken(key);
