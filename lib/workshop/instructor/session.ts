import type { Context } from "../../oauth/context";
import { addSeconds } from "../../oauth/context";
import { constantTimeEqual, hashToken, randomToken } from "../../crypto";
import { getCookie } from "../../http";
import { countAttempt } from "../../rate-limit";

import { deleteInstructorSessions, insertInstructorSession, instructorSessionByHash } from "../../records/instructor-session";
import { deleteAttempts } from "../../records/login-attempt";
/**
 * The instructor's sign-in (workshop mode): the password set by INSTRUCTOR_PASSWORD, compared in constant
 * time, failures limited per IP address; a success starts a session whose random value lives only in an
 * httpOnly, SameSite=Strict cookie on /instructor. The database keeps its SHA-256, so every instance
 * sharing the database honours it, and signing out ends it everywhere.
 */

/**
 * Over https the cookie takes the `__Host-` prefix (RFC 6265bis §4.1.3.2), which requires Path=/; over
 * plain http it stays on /instructor.
 */
export const instructorCookieName = (secure: boolean) => (secure ? "__Host-instructor_session" : "instructor_session");
export const INSTRUCTOR_COOKIE_PATH = "/instructor";
/** A workshop day. */
export const INSTRUCTOR_SESSION_SECONDS = 12 * 60 * 60;
/** Failed sign-ins per IP address within LOGIN_WINDOW_SECONDS: LOGIN_MAX_FAILURES × 4, as for the users' per-IP limit. */
export const instructorMaxFailures = (ctx: Context) => ctx.config.loginMaxFailures * 4;
/** Failed instructor sign-ins allowed from all addresses together, within the window. */
export const instructorMaxFailuresInAll = (ctx: Context) => ctx.config.loginMaxFailures * 10;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export type SignInResult = { ok: true; cookie: string } | { ok: false; reason: "wrong_password" | "rate_limited" };

/** @see RFC 6265bis §4.1: httpOnly, SameSite=Strict (never sent on a request another site starts), Secure over HTTPS. */
export function instructorCookie(value: string, maxAge: number, secure: boolean): string {
  const parts = [
    `${instructorCookieName(secure)}=${value}`,
    `Path=${secure ? "/" : INSTRUCTOR_COOKIE_PATH}`,
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${maxAge}`,
  ];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

/**
 * Checks the password. The attempt is counted before the check (as the users' sign-in does), so parallel
 * guesses cannot all pass the limit before any of them is recorded; a success takes it back.
 */
export async function signInInstructor(ctx: Context, password: string, ip: string): Promise<SignInResult> {
  const expected = ctx.config.workshop.instructorPassword;
  // Per address, and in all: the address comes from X-Forwarded-For, which a client without a proxy in
  // front can choose, so the overall count is what bounds guessing (at the price of a lock-out anyone
  // can cause for one window; a signed-in instructor stays signed in).
  const limits = [
    { key: `instructor:ip:${ip}`, max: instructorMaxFailures(ctx) },
    { key: "instructor:all", max: instructorMaxFailuresInAll(ctx) },
  ];
  if ((await countAttempt(ctx, limits, ctx.config.loginWindow)).reached) return { ok: false, reason: "rate_limited" };
  if (!expected || password.length > 1024 || !constantTimeEqual(password, expected)) return { ok: false, reason: "wrong_password" };
  await deleteAttempts(ctx.db, { keys: limits.map((l) => l.key) });
  const token = randomToken(32);
  await insertInstructorSession(ctx.db, {
    tokenHash: hashToken(token),
    expiresAt: addSeconds(ctx.now, INSTRUCTOR_SESSION_SECONDS),
    createdAt: ctx.now,
  });
  return { ok: true, cookie: instructorCookie(token, INSTRUCTOR_SESSION_SECONDS, ctx.config.secureCookies) };
}

/** Whether a request (or a cookie value read by a page) belongs to a signed-in instructor, now. Always false outside workshop mode. */
export async function isInstructor(ctx: Context, from: Request | string | undefined): Promise<boolean> {
  if (!ctx.config.workshop.enabled) return false;
  const token = from instanceof Request ? getCookie(from, instructorCookieName(ctx.config.secureCookies)) : from;
  if (!token || !TOKEN.test(token)) return false;
  const row = await instructorSessionByHash(ctx.db, hashToken(token));
  return !!row && row.expiresAt > ctx.now;
}

/** Ends the request's session (and any expired ones); returns the Set-Cookie that clears the cookie. */
export async function signOutInstructor(ctx: Context, request: Request): Promise<string> {
  const token = getCookie(request, instructorCookieName(ctx.config.secureCookies));
  await deleteInstructorSessions(ctx.db, ctx.now, token && TOKEN.test(token) ? hashToken(token) : undefined);
  return instructorCookie("", 0, ctx.config.secureCookies);
}
