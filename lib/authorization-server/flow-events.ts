import { listEvents } from "../events";
import { bearerCredentials } from "../http";
import { verifyOwnAccessToken } from "./access-token";
import type { Context } from "./context";
import { bearerChallenge, OAuthError, toOAuthError } from "./errors";

const CORRELATION_ID = /^[A-Za-z0-9_-]{16,24}$/;

/**
 * Which run a request may read, for GET /api/flow-events and GET /api/flow-state. A run is named either
 * by its correlation id (`?correlation=`, derived from the run's PKCE challenge, which only the run's
 * client and browser know) or by one of its access tokens (`Authorization: Bearer`), which is how a
 * client that never saw its own challenge (next-auth) finds its run.
 */
export async function runOf(request: Request, ctx: Context): Promise<string> {
  let correlationId = new URL(request.url).searchParams.get("correlation");
  const token = bearerCredentials(request.headers.get("authorization"));
  if (token === null) throw new OAuthError("invalid_request", "The Authorization header must be: Bearer <token>.");
  if (token !== undefined) ({ correlationId } = await verifyOwnAccessToken(ctx, token));
  if (!correlationId || !CORRELATION_ID.test(correlationId)) {
    throw new OAuthError("invalid_request", "Name the run: ?correlation=<id> or an access token of the run.");
  }
  return correlationId;
}

/** A run-reading endpoint's error: the RFC 6749 §5.2 body, never cached, with a Bearer challenge for a bad token. */
export function runReadError(error: unknown, ctx: Context): Response {
  const e = toOAuthError(error);
  return Response.json({ error: e.code, error_description: e.description }, {
    status: e.status,
    headers: { "Cache-Control": "no-store", ...e.headers, ...(e.code === "invalid_token" ? { "WWW-Authenticate": bearerChallenge(ctx.config.issuer, e) } : {}) },
  });
}

/**
 * GET /api/flow-events: the recorded events of one run (named as runOf says), for the clients that
 * draw it. `?after=` returns only newer events, for polling. Events were redacted before they were stored.
 */
export async function handleFlowEvents(request: Request, ctx: Context): Promise<Response> {
  try {
    const after = Number(new URL(request.url).searchParams.get("after") ?? 0);
    if (!Number.isSafeInteger(after) || after < 0) throw new OAuthError("invalid_request", "after must be a non-negative integer.");
    const correlationId = await runOf(request, ctx);
    const events = await listEvents(ctx.db, correlationId, after);
    return Response.json({ correlationId, events }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return runReadError(error, ctx);
  }
}
