"use server";

import { signOut, unstable_update } from "@/lib/client/auth";
import { callApi, type CallApiState } from "@/lib/client/nextauth/call-api";
import { grantsOf, readAccountGrants, type AccountGrantsState } from "@/lib/client/nextauth/grants";
import { readSessionToken, rememberLastRun } from "@/lib/client/nextauth/session";

/** Steps 6-7: refresh the access token if it is expiring (`update()` runs the jwt callback), then call the API. */
export async function callTheApi(previous: CallApiState): Promise<CallApiState> {
  void previous;
  if (!(await readSessionToken())) return { error: "You are signed out.", signInAgain: true };
  await unstable_update({});
  return callApi(await readSessionToken());
}

/** Sign-out: events.signOut revokes the refresh token; the run's id stays so the panel can show it. */
export async function signOutOfNextAuth() {
  await rememberLastRun((await readSessionToken())?.correlationId);
  await signOut({ redirectTo: "/app" });
}

/** The user's grants at the authorization server, read with the session's access token (refreshed first if it is expiring). */
export async function showMyGrants(previous: AccountGrantsState): Promise<AccountGrantsState> {
  void previous;
  if (!(await readSessionToken())) return { error: "You are signed out." };
  await unstable_update({});
  const answer = await readAccountGrants(await readSessionToken());
  return "error" in answer ? answer : { answer, grants: grantsOf(answer) ?? null };
}
