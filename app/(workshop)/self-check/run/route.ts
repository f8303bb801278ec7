import { clientIp } from "@/lib/http";
import { errorResponse, OAuthError } from "@/lib/oauth/errors";
import { runLimitedSelfCheck } from "@/lib/workshop/lab/server-env";
import { requestContext } from "@/lib/server-context";

/** POST /self-check/run: the self-check as JSON (what the page's button shows), for scripts and tests. */
export async function POST(request: Request): Promise<Response> {
  const ctx = await requestContext();
  const report = await runLimitedSelfCheck(ctx, clientIp(request.headers, ctx.config.trustProxyHops));
  if (!report) {
    return errorResponse(
      new OAuthError("rate_limited", "Too many self-check runs from this address; try again later.", {
        headers: { "Retry-After": String(ctx.config.loginWindow) },
      }),
    );
  }
  return Response.json(report, { status: report.passed ? 200 : 500, headers: { "Cache-Control": "no-store" } });
}
