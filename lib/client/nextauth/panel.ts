import "server-only";
import type { JWT } from "next-auth/jwt";
import { getConfig } from "../../config";
import { getDb } from "../../db";
import { fetchRun, loadRun, type Run } from "./run";

/**
 * The run the panel shows: this session's (by its access token while valid, otherwise by the id it
 * remembered), or, when signed out, the last run's. The events of the client's own database are merged in.
 */
export async function loadRunForPage(token: JWT | null, lastRunId: string | undefined): Promise<Run | { error: string } | null> {
  const config = getConfig();
  const valid = !!token?.access_token && typeof token.expires_at === "number" && token.expires_at - 2 > Date.now() / 1000;
  const by = valid ? { accessToken: token!.access_token } : { correlationId: token?.correlationId ?? (token ? undefined : lastRunId) };
  if (!by.accessToken && !by.correlationId) return null;
  const remote = await fetchRun(config.client.issuer, { ...by, client: config.client.nextAuth });
  if ("error" in remote) return remote;
  return loadRun(await getDb(), remote);
}
