import type { Context } from "../../oauth/context";
import { expireRun } from "../../records/grant";

/** A correlation id, as lib/events.ts makes them (or the sign-in page's random ones). */
export const CORRELATION_ID = /^[A-Za-z0-9_-]{16,24}$/;

/**
 * "Expire now" for one run: its unconsumed codes and its live access tokens expire at this instant, so the
 * participant's next code exchange is `invalid_grant` (RFC 6749 §5.2) and the next API call with the
 * token is `invalid_token` (RFC 6750 §3.1): the authorization server refuses a code past its expiresAt,
 * and the API, UserInfo and introspection look the token's jti up and refuse a row past its expiresAt
 * even while the JWT's own exp is still ahead. Refresh tokens are left alone, so the participant can
 * then show the refresh (RFC 6749 §6). Recorded as a flow event of the run, so its participant sees it.
 */
export async function expireRunNow(
  ctx: Context,
  correlationId: string,
  participant: { clientId?: string; userId?: string } = {},
): Promise<{ codes: number; accessTokens: number }> {
  // A run's id comes from its PKCE challenge, which another participant could reuse for a run of their
  // own: the participant the instructor saw (client and user) narrows it to the run on the screen.
  const who = {
    ...(participant.clientId ? { clientId: participant.clientId } : {}),
    ...(participant.userId ? { userId: participant.userId } : {}),
  };
  const [codes, accessTokens] = await expireRun(ctx.db, { correlationId, ...who }, ctx.now);
  if (codes.count || accessTokens.count) {
    await ctx.emit({ type: "run.expired", run: correlationId, codes: codes.count, accessTokens: accessTokens.count });
  }
  return { codes: codes.count, accessTokens: accessTokens.count };
}
