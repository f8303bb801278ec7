"use server";
import { markingFetch } from "@/lib/lab/mark-runs";
import { labEnv } from "@/lib/lab/server-env";
import { runSelfCheck, type SelfCheckReport } from "@/lib/lab/self-check";

/** Runs the self-check on the server, against this app's own authorization server and API. */
export async function runSelfCheckAction(): Promise<SelfCheckReport> {
  return runSelfCheck({ ...labEnv("alice"), fetch: markingFetch("self-check") });
}
