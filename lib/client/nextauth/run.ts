import type { PrismaClient } from "../../generated/prisma/client";
import { listEvents, recordEvent, type FlowEventView } from "../../events";
import type { ClientEvent } from "./refresh";
import { formPost, type ClientCredentials, type Fetch } from "./oauth";

/** The seven steps of the seed (DESIGN.md), as the panel names them, and who performs each. */
export const STEPS = [
  { step: 1, title: "Send the browser to the authorization server", by: "next-auth (signIn) and the browser" },
  { step: 2, title: "The user signs in and consents", by: "authorization server" },
  { step: 3, title: "Redirect back with a one-time code", by: "authorization server, through the browser" },
  { step: 4, title: "Exchange the code, with client ID and secret", by: "next-auth's callback route (back channel)" },
  { step: 5, title: "Access token and refresh token returned", by: "authorization server" },
  { step: 6, title: "Call the protected API with the access token", by: "this app's server" },
  { step: 7, title: "Token validated and request served; refresh when expired", by: "resource server; next-auth's jwt callback" },
] as const;

/** Records one of the client's own events under its run (role "client"); without a run id, nothing. */
export async function recordClientEvent(
  db: PrismaClient,
  clientId: string,
  correlationId: string | undefined,
  event: ClientEvent,
): Promise<void> {
  if (!correlationId) return;
  await recordEvent(db, { correlationId, role: "client", clientId, ...event });
}

export type Run = { correlationId: string; events: FlowEventView[] };

/**
 * The run's events from the authorization server (server-side only), proving the run is this client's:
 * with the run's access token while it is valid (`GET /api/flow-events`, Bearer), otherwise with the
 * correlation id the session remembered and the client's own authentication (`POST`, client_secret_basic,
 * as at the token endpoint). Returns the run's id and its events, or an error message.
 */
export async function fetchRun(
  issuer: string,
  by: { accessToken?: string; correlationId?: string; client?: ClientCredentials },
  fetchImpl: Fetch = fetch,
): Promise<Run | { error: string }> {
  const url = new URL(`${issuer}/api/flow-events`);
  let init: RequestInit;
  if (by.accessToken) init = { headers: { Accept: "application/json", Authorization: `Bearer ${by.accessToken}` }, cache: "no-store" };
  else if (by.correlationId && by.client) init = formPost(by.client, { correlation: by.correlationId });
  else return { error: "No run to show." };
  try {
    const response = await fetchImpl(url, init);
    const body = (await response.json().catch(() => ({}))) as Partial<Run> & { error?: string; error_description?: string };
    if (!response.ok || !body.correlationId || !Array.isArray(body.events)) {
      return { error: `The authorization server answered ${response.status}${body.error ? ` (${body.error})` : ""}.` };
    }
    return { correlationId: body.correlationId, events: body.events };
  } catch (error) {
    return { error: `The authorization server could not be reached: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * The run's events as the authorization server recorded them, plus the ones this client recorded in
 * its own database: the same rows when both roles share a database, different ones when the client
 * runs on its own origin with its own database (the split run).
 */
export async function loadRun(db: PrismaClient, remote: Run): Promise<Run> {
  const local = await listEvents(db, remote.correlationId);
  const key = (e: FlowEventView) => `${e.at}|${e.role}|${e.step}|${e.name}`;
  const seen = new Set(remote.events.map(key));
  const events = [...remote.events, ...local.filter((e) => !seen.has(key(e)))].sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
  return { correlationId: remote.correlationId, events };
}

export type StepSummary = (typeof STEPS)[number] & { events: FlowEventView[]; performed: boolean; status: string };

/**
 * The seven steps, each with the events recorded for it in this run. Step 7 is the API's answer, so it
 * is done only once the API was called (step 6); a refresh before any call (next-auth's jwt callback,
 * also step 7) is said as such, never as "done" beside a step 6 "not yet".
 */
export function summarizeSteps(events: FlowEventView[]): StepSummary[] {
  const ok = (step: number) => events.some((e) => e.step === step && e.outcome === "ok");
  return STEPS.map((s) => {
    const mine = events.filter((e) => e.step === s.step);
    const performed = ok(s.step) && (s.step !== 7 || ok(6));
    const status = performed ? "done" : s.step === 7 && ok(7) ? "refreshed; the API not called yet" : "not yet";
    return { ...s, events: mine, performed, status };
  });
}
