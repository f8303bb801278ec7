import { hashToken, randomToken } from "../crypto";
import { errorPage, getCookie, isSameOriginPost, seeOther, serializeCookie } from "../http";
import { addSeconds, type Context } from "../oauth/context";
import { deleteSessionByTokenHash, insertSession, sessionByTokenHash } from "../records/session";

/** The authorization server's login session: an httpOnly cookie whose token is stored only as a hash. */
export type AsSession = { id: string; userId: string; authTime: Date };

export const sessionCookieName = (ctx: Context) => (ctx.config.secureCookies ? "__Host-authcode_session" : "authcode_session");

/** The session named by a request's cookie (or by the cookie's value), if it is valid now. */
export async function findSession(ctx: Context, from: Request | string | undefined): Promise<AsSession | null> {
  const token = from instanceof Request ? getCookie(from, sessionCookieName(ctx)) : from;
  if (!token || token.length > 100) return null;
  const row = await sessionByTokenHash(ctx.db, hashToken(token));
  if (!row || row.expiresAt <= ctx.now) return null;
  return { id: row.id, userId: row.userId, authTime: row.authTime };
}

/** Starts a session after a successful login; returns it and the Set-Cookie header value. */
export async function createSession(ctx: Context, userId: string): Promise<{ session: AsSession; cookie: string }> {
  const token = randomToken();
  const row = await insertSession(ctx.db, {
    tokenHash: hashToken(token),
    userId,
    authTime: ctx.now,
    expiresAt: addSeconds(ctx.now, ctx.config.sessionTtl),
  });
  const cookie = serializeCookie(sessionCookieName(ctx), token, { secure: ctx.config.secureCookies, maxAge: ctx.config.sessionTtl });
  return { session: { id: row.id, userId, authTime: row.authTime }, cookie };
}

/**
 * POST /logout/submit: ends the authorization server's session (the row is deleted, the cookie
 * cleared), so that the next authorization request asks who the user is again. Our own form only.
 */
export async function handleLogout(request: Request, ctx: Context): Promise<Response> {
  if (!isSameOriginPost(request, new URL(ctx.config.issuer).origin)) {
    return errorPage(400, "invalid_request", "The sign-out form was not sent from this site.");
  }
  const token = getCookie(request, sessionCookieName(ctx));
  if (token && token.length <= 100) await deleteSessionByTokenHash(ctx.db, hashToken(token));
  const cleared = serializeCookie(sessionCookieName(ctx), "", { secure: ctx.config.secureCookies, maxAge: 0 });
  return seeOther(`${ctx.config.issuer}/logout?done=1`, [cleared]);
}
