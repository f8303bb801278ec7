"use server";
import { headers } from "next/headers";
import { clientIp } from "@/lib/http";
import { runLimitedSelfCheck } from "@/lib/workshop/lab/server-env";
import type { SelfCheckReport } from "@/lib/workshop/lab/self-check";
import { requestContext } from "@/lib/server-context";

export type SelfCheckOutcome = SelfCheckReport | { limited: true } | null;

/** Runs the self-check on the server, against this app's own authorization server and API, within its limit. */
export async function runSelfCheckAction(): Promise<SelfCheckOutcome> {
  const ctx = await requestContext();
  const report = await runLimitedSelfCheck(ctx, clientIp(new Headers(await headers()), ctx.config.trustProxyHops));
  return report ?? { limited: true };
}
