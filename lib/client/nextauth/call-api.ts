import "server-only";
import type { JWT } from "next-auth/jwt";
import { getConfig } from "../../config";
import { getDb } from "../../db";
import { callProtectedApi, type ApiCall } from "./api";
import { recordClientEvent } from "./run";

/** What the "Call the API" action returns to the page: the answers, never the token. */
export type CallApiState =
  | { calls: ApiCall[]; at: string; accessTokenExpiresAt?: number }
  | { error: string; signInAgain?: boolean }
  | null;

/** Step 6 with the session's (just refreshed, if it was expiring) access token; each call is recorded. */
export async function callApi(token: JWT | null): Promise<CallApiState> {
  if (!token) return { error: "You are signed out.", signInAgain: true };
  if (token.error)
    return { error: token.error_description ?? "The session has ended at the authorization server. Sign in again.", signInAgain: true };
  if (!token.access_token) return { error: "This session has no access token. Sign in again.", signInAgain: true };
  if (token.refresh_failure) return { error: `The access token could not be refreshed: ${token.refresh_failure}. Try again.` };
  const config = getConfig();
  const { calls, events } = await callProtectedApi(config.client.resourceServerUrl, token.access_token);
  const db = await getDb();
  for (const event of events) await recordClientEvent(db, config.client.nextAuth.id, token.correlationId, event);
  return { calls, at: new Date().toISOString(), accessTokenExpiresAt: token.expires_at };
}
