import { getConfig } from "@/lib/config";

/**
 * The framework's own ceiling for `npm run bench` (scenario 1): a dynamic route handler that does
 * nothing, so every other scenario is measured as a ratio to what Next.js itself costs on this machine.
 */
export const dynamic = "force-dynamic";

/** Routed only for the benchmark (BENCH_ROUTES=on, which `npm run bench` sets): 404 otherwise. */
export function GET() {
  if (!getConfig().benchRoutes) return new Response("Not found", { status: 404 });
  return new Response("ok");
}
