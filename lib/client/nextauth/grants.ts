import "server-only";
import type { JWT } from "next-auth/jwt";
import { getConfig } from "../../config";
import { getDb } from "../../db";
import { getWithBearer } from "./api";
import type { Fetch } from "./oauth";
import type { ClientEvent } from "./refresh";
import { recordClientEvent } from "./run";

/** Where the authorization server serves the signed-in user's grants as JSON (a protected resource, as UserInfo). */
export const ACCOUNT_GRANTS_PATH = "/account/grants";

/** One grant as the authorization server lists it (lib/authorization-server/account.ts grantJson). */
export type AccountGrant = {
  client_id: string;
  client_name: string;
  self_registered: boolean;
  scope: string;
  granted_at: string;
  scope_updated_at: string | null;
  last_used_at: string | null;
};

/** What the client got back: the answer as sent (status, challenge, body), never the token. */
export type AccountGrantsAnswer = { url: string; status: number; wwwAuthenticate?: string; body: unknown };

/**
 * The client's server asks the authorization server for the user's grants with the user's access token
 * in the Authorization header (RFC 6750 §2.1), as it calls UserInfo. Returns the answer and its event.
 */
export async function fetchAccountGrants(
  issuer: string,
  accessToken: string,
  fetchImpl: Fetch = fetch,
): Promise<{ answer: AccountGrantsAnswer; event: ClientEvent }> {
  const url = `${issuer}${ACCOUNT_GRANTS_PATH}`;
  const answer: AccountGrantsAnswer = { url, ...(await getWithBearer(url, accessToken, fetchImpl)) };
  const event: ClientEvent = {
    step: 6,
    name: `Client read the user's grants: GET ${ACCOUNT_GRANTS_PATH}`,
    outcome: answer.status === 200 ? "ok" : "error",
    http: {
      request: { method: "GET", url, headers: { authorization: `Bearer ${accessToken}` } },
      response: {
        status: answer.status,
        ...(answer.wwwAuthenticate ? { headers: { "www-authenticate": answer.wwwAuthenticate } } : {}),
        body: answer.body,
      },
    },
  };
  return { answer, event };
}

/** What the "Show my grants" action returns to the page: the answer and the list in it, never the token. */
export type AccountGrantsState = { answer: AccountGrantsAnswer; grants: AccountGrant[] | null } | { error: string } | null;

/** The grants in an answer, if it is the list. */
export function grantsOf(answer: AccountGrantsAnswer): AccountGrant[] | undefined {
  const grants =
    answer.status === 200 && answer.body && typeof answer.body === "object" ? (answer.body as { grants?: unknown }).grants : undefined;
  return Array.isArray(grants) ? (grants as AccountGrant[]) : undefined;
}

/** With the session's access token: the user's grants at the authorization server, the call recorded in the session's run. */
export async function readAccountGrants(token: JWT | null): Promise<AccountGrantsAnswer | { error: string }> {
  if (!token?.access_token || token.error) return { error: "You are signed out, or the session has ended: sign in again." };
  const config = getConfig();
  const { answer, event } = await fetchAccountGrants(config.client.issuer, token.access_token);
  await recordClientEvent(await getDb(), config.client.nextAuth.id, token.correlationId, event);
  return answer;
}
