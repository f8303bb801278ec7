import type { FlowEventView } from "../../events";
import type { Fetch } from "./recorded-fetch";

/**
 * The authorization and resource servers' events of a run, from `GET /api/flow-events?correlation=`
 * at the authorization server (server to server: the browser never calls it). The correlation id is
 * derived from the run's PKCE challenge (lib/events.ts correlationIdFor).
 */
export async function fetchServerEvents(issuer: string, correlationId: string, fetchImpl: Fetch): Promise<{ events: FlowEventView[]; error?: string }> {
  const url = `${issuer}/api/flow-events?${new URLSearchParams({ correlation: correlationId })}`;
  try {
    const response = await fetchImpl(url, { headers: { Accept: "application/json" }, cache: "no-store", signal: AbortSignal.timeout(5_000) });
    if (response.status !== 200) return { events: [], error: `${url} answered ${response.status}.` };
    const body = (await response.json()) as { events?: FlowEventView[] };
    return { events: Array.isArray(body.events) ? body.events : [] };
  } catch (error) {
    return { events: [], error: `${url} could not be read: ${error instanceof Error ? error.message : error}` };
  }
}
