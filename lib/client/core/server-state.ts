/** A run's records at the authorization server, read with the run's PKCE code_verifier as proof (RFC 7636 §4.1); the endpoint is this app's own. */
import type { FlowState } from "../../oauth/flow-state";
import { readRun, type RunProof } from "./flow-events";
import type { Fetch } from "./recorded-fetch";

/**
 * The authorization server's own records of a run (its code, access tokens and refresh-token family,
 * each with its states over time), from `POST /api/flow-state` at the authorization server, server to
 * server and with the run's proof, like the run's events (lib/client/core/flow-events.ts).
 */
export async function fetchServerState(issuer: string, run: RunProof, fetchImpl: Fetch): Promise<{ state?: FlowState; error?: string }> {
  const url = `${issuer}/api/flow-state`;
  try {
    const response = await readRun(url, run, fetchImpl);
    if (response.status !== 200) return { error: `${url} answered ${response.status}.` };
    const body = (await response.json()) as Partial<FlowState>;
    if (!Array.isArray(body.codes) || !Array.isArray(body.accessTokens) || !Array.isArray(body.refreshTokens))
      return { error: `${url} answered something else than a run's records.` };
    return { state: body as FlowState };
  } catch (error) {
    return { error: `${url} could not be read: ${error instanceof Error ? error.message : error}` };
  }
}
