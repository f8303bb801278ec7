import { listEvents, type FlowEventView } from "../events";
import type { Context } from "../oauth/context";
import { runHasEvent } from "../records/flow-event";
import { errorResponse, OAuthError } from "../oauth/errors";
import { eventName } from "../event-recorder";
import { readerOfRun, type RunAccessOptions, type RunReader } from "./run-access";

/**
 * Whether the reader may know who signed in: the instructor always; a client once its code was redeemed
 * for tokens (the user consented, and the client held both the code and its verifier). Until then, and
 * for good after a denial, a client learns nothing of the user: not even a reader holding the verifier
 * of an authorization URL it made up and had someone else open, whose code went to the real client.
 */
async function userKnownToReader(ctx: Context, reader: RunReader): Promise<boolean> {
  if (reader.identity) return true;
  return runHasEvent(ctx.db, {
    correlationId: reader.correlationId,
    role: "authorization-server",
    names: [eventName("tokens.issued")],
    outcome: "ok",
    clientId: reader.clientId,
  });
}

/** An event without the user's identity: no user id, no username typed at sign-in. */
export function withoutIdentity(event: FlowEventView): FlowEventView {
  const body = event.http?.request?.body;
  if (!event.userId && !body?.username) return event;
  const http = body?.username
    ? {
        ...event.http,
        request: { ...event.http!.request!, body: Object.fromEntries(Object.entries(body).filter(([k]) => k !== "username")) },
      }
    : event.http;
  return { ...event, userId: null, ...(http ? { http } : {}) };
}

/** A run-reading endpoint's error: the RFC 6749 §5.2 body, never cached, with a Bearer challenge for a bad token. */
export const runReadError = (error: unknown, ctx: Context): Response =>
  errorResponse(error, { realm: ctx.config.issuer, onlyFor: ["invalid_token"] });

/**
 * GET or POST /api/flow-events: the recorded events of one run, for a reader that proved to belong to it
 * (run-access.ts), and only the reader's part of it. `after` returns only newer events, for polling.
 * Events were redacted before they were stored.
 */
export async function handleFlowEvents(request: Request, ctx: Context, options: RunAccessOptions = {}): Promise<Response> {
  try {
    const reader = await readerOfRun(request, ctx, options);
    const after = Number(reader.params.get("after") ?? 0);
    if (!Number.isSafeInteger(after) || after < 0) throw new OAuthError("invalid_request", "after must be a non-negative integer.");
    const [events, known] = await Promise.all([listEvents(ctx.db, reader.correlationId, after, reader), userKnownToReader(ctx, reader)]);
    return Response.json(
      { correlationId: reader.correlationId, events: known ? events : events.map(withoutIdentity) },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    return runReadError(error, ctx);
  }
}
