import { listEvents } from "../events";
import { bearerCredentials } from "../http";
import { verifyOwnAccessToken } from "./access-token";
import type { Context } from "./context";
import { bearerChallenge, OAuthError, toOAuthError } from "./errors";

const CORRELATION_ID = /^[A-Za-z0-9_-]{16,24}$/;

/**
 * GET /api/flow-events: the recorded events of one run, for the clients that draw it. A run is named
 * either by its correlation id (`?correlation=`, derived from the run's PKCE challenge, which only the
 * run's client and browser know) or by one of its access tokens (`Authorization: Bearer`), which is
 * how a client that never saw its own challenge (next-auth) finds its run. `?after=` returns only
 * newer events, for polling. Events were redacted before they were stored.
 */
export async function handleFlowEvents(request: Request, ctx: Context): Promise<Response> {
  try {
    const url = new URL(request.url);
    const after = Number(url.searchParams.get("after") ?? 0);
    if (!Number.isSafeInteger(after) || after < 0) throw new OAuthError("invalid_request", "after must be a non-negative integer.");
    let correlationId = url.searchParams.get("correlation");
    const token = bearerCredentials(request.headers.get("authorization"));
    if (token === null) throw new OAuthError("invalid_request", "The Authorization header must be: Bearer <token>.");
    if (token !== undefined) ({ correlationId } = await verifyOwnAccessToken(ctx, token));
    if (!correlationId || !CORRELATION_ID.test(correlationId)) {
      throw new OAuthError("invalid_request", "Name the run: ?correlation=<id> or an access token of the run.");
    }
    const events = await listEvents(ctx.db, correlationId, after);
    return Response.json({ correlationId, events }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    const e = toOAuthError(error);
    return Response.json({ error: e.code, error_description: e.description }, {
      status: e.status,
      headers: { "Cache-Control": "no-store", ...(e.code === "invalid_token" ? { "WWW-Authenticate": bearerChallenge(ctx.config.issuer, e) } : {}) },
    });
  }
}
