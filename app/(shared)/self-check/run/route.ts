import { runSelfCheck } from "@/lib/lab/self-check";
import { markingFetch } from "@/lib/lab/mark-runs";
import { labEnv } from "@/lib/lab/server-env";

/** POST /self-check/run: the self-check as JSON (what the page's button shows), for scripts and tests. */
export async function POST(): Promise<Response> {
  const report = await runSelfCheck({ ...labEnv("alice"), fetch: markingFetch("self-check") });
  return Response.json(report, { status: report.passed ? 200 : 500, headers: { "Cache-Control": "no-store" } });
}
