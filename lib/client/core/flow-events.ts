/** A run's events at the authorization server, read with the run's PKCE code_verifier as proof (RFC 7636 §4.1); the endpoint is this app's own. */
import type { FlowEventView } from "../../events";
import type { Fetch } from "./recorded-fetch";

/** A run as the client proves it is its own to the authorization server: the run's PKCE code_verifier (RFC 7636 §4.1). */
export type RunProof = { correlationId: string; codeVerifier: string };

/**
 * A POST to one of the authorization server's run readers (`/api/flow-events`, `/api/flow-state`), server
 * to server: the browser never calls them. The correlation id names the run (lib/events.ts
 * correlationIdFor); the verifier, whose S256 hash is the run's challenge, proves that this client's
 * server made it. It goes in the body, never in the URL.
 */
export function readRun(url: string, run: RunProof, fetchImpl: Fetch): Promise<Response> {
  return fetchImpl(url, {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ correlation: run.correlationId, code_verifier: run.codeVerifier }).toString(),
    cache: "no-store",
    signal: AbortSignal.timeout(5_000),
  });
}

/** The authorization and resource servers' events of a run, from `POST /api/flow-events`. */
export async function fetchServerEvents(
  issuer: string,
  run: RunProof,
  fetchImpl: Fetch,
): Promise<{ events: FlowEventView[]; error?: string }> {
  const url = `${issuer}/api/flow-events`;
  try {
    const response = await readRun(url, run, fetchImpl);
    if (response.status !== 200) return { events: [], error: `${url} answered ${response.status}.` };
    const body = (await response.json()) as { events?: FlowEventView[] };
    return { events: Array.isArray(body.events) ? body.events : [] };
  } catch (error) {
    return { events: [], error: `${url} could not be read: ${error instanceof Error ? error.message : error}` };
  }
}
