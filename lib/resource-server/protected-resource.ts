import { bearerChallenge, errorParts, toOAuthError } from "../oauth/errors";
import type { AccessTokenClaims, ApiResult, Resource, ResourceServerContext } from "./context";
import { corsHeaders } from "./cors";
import { ApiRefusal, NoAccessToken, type Check } from "./errors";
import { runChecks, validationChecks, type Checking, type Reached } from "./validation-checks";

/** Events of requests whose token did not lead to a known flow. */
export const UNCORRELATED = "resource-server";

type Outcome = {
  result: ApiResult;
  claims?: AccessTokenClaims;
  correlationId?: string;
  refusal?: { check: Check; description: string };
  /** Where the checks stopped (validation-checks.ts): the event lists every check's result from it. */
  reached: Reached;
};

/**
 * RFC 6750: one request to a protected resource, checked by the API's ordered checks (validation-checks.ts);
 * only then the resource itself. Refusals carry a WWW-Authenticate challenge (§3).
 */
export async function serveProtected(request: Request, ctx: ResourceServerContext, resource: Resource): Promise<Response> {
  const outcome = await authorizeAndServe(request, ctx, resource);
  const { result } = outcome;
  await recordApiEvents(request, ctx, resource, outcome);
  const headers = new Headers({ "Cache-Control": "no-store", ...result.headers, ...corsHeaders(request, ctx.config) });
  if (result.body === undefined) return new Response(null, { status: result.status, headers });
  headers.set("Content-Type", "application/json");
  return new Response(JSON.stringify(result.body), { status: result.status, headers });
}

async function authorizeAndServe(request: Request, ctx: ResourceServerContext, resource: Resource): Promise<Outcome> {
  const realm = ctx.config.apiAudience;
  const c: Checking = { request, ctx, resource, reached: "token" };
  try {
    await runChecks(c);
    const { claims, scopes, correlationId } = c;
    const result = await resource.serve({ claims: claims!, scopes: scopes!, correlationId: correlationId ?? UNCORRELATED }, request, ctx);
    return { result, claims, correlationId, reached: c.reached };
  } catch (error) {
    if (error instanceof NoAccessToken) {
      // RFC 6750 §3.1: no authentication information, so a challenge with no error code.
      return {
        result: { status: 401, headers: { "WWW-Authenticate": bearerChallenge(realm) } },
        refusal: { check: error.check, description: error.description },
        reached: c.reached,
      };
    }
    const e = toOAuthError(error);
    return {
      result: errorParts(error, { realm, scope: resource.scope }),
      claims: c.claims,
      correlationId: (error instanceof ApiRefusal && error.correlationId) || c.correlationId,
      refusal: { check: error instanceof ApiRefusal ? error.check : "server", description: e.description },
      reached: c.reached,
    };
  }
}

/** Steps 6 and 7 of the flow, seen by the resource server (the recorder masks the Authorization header). */
async function recordApiEvents(
  request: Request,
  ctx: ResourceServerContext,
  resource: Resource,
  { result, claims, correlationId, refusal, reached }: Outcome,
) {
  const authorization = request.headers.get("authorization");
  const subject = { run: correlationId ?? UNCORRELATED, clientId: claims?.client_id, userId: claims?.sub };
  const response = {
    status: result.status,
    ...(result.headers?.["WWW-Authenticate"] ? { headers: { "www-authenticate": result.headers["WWW-Authenticate"] } } : {}),
    body: result.body,
  };
  const validation = { revocationCheck: ctx.config.rsRevocationCheck, checks: validationChecks(reached, refusal?.check) };
  await Promise.all([
    ctx.emit({
      type: "api.called",
      ...subject,
      http: { request: { method: request.method, url: request.url, ...(authorization ? { headers: { authorization } } : {}) } },
      resource: resource.name,
      scopeRequired: resource.scope,
      withToken: !!authorization,
    }),
    refusal
      ? ctx.emit({
          type: "api.refused",
          ...subject,
          http: { response },
          check: refusal.check,
          description: refusal.description,
          ...validation,
        })
      : ctx.emit({ type: "api.served", ...subject, http: { response }, resource: resource.name, status: result.status, ...validation }),
  ]);
}
