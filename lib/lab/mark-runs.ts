import "server-only";
import { getDb } from "../db";
import { correlationIdFor, recordEvent } from "../events";
import type { RunOrigin } from "../run-origin";
import type { Fetch } from "./http";

const NAMES: Record<RunOrigin, string> = {
  lab: "The lab started this run: an attack, whose refusals are the lesson",
  "self-check": "The self-check started this run: its refusals are the checks passing",
};

/**
 * The lab's and the self-check's fetch: before each authorization request it sends, a marker event for
 * that run (its correlation id comes from the request's code_challenge, as every role's does), so the
 * instructor's view lists the run as the lab's or the self-check's rather than a participant's. Requests
 * without a code_challenge start no run the marker could name.
 */
export function markingFetch(origin: RunOrigin, base: Fetch = fetch): Fetch {
  const marked = new Set<string>();
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const challenge = url.searchParams.get("code_challenge");
    if (challenge && /^[A-Za-z0-9_-]{43}$/.test(challenge) && !marked.has(challenge)) {
      marked.add(challenge);
      await recordEvent(await getDb(), {
        correlationId: correlationIdFor(challenge), role: "client", step: 1, name: NAMES[origin], outcome: "ok",
        clientId: url.searchParams.get("client_id")?.slice(0, 256) ?? null,
        detail: { from: "client", to: "client", origin },
      });
    }
    return base(input, init);
  };
}
