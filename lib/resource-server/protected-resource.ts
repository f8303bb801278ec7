import { nonceHeader } from "../oauth/dpop";
import { bearerChallenge, dpopChallenge, errorParts, toOAuthError } from "../oauth/errors";
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
  /** RFC 9449: how the token came (and, DPoP, the key's thumbprint), once the checks knew. */
  binding?: { tokenType: "Bearer" | "DPoP"; jkt: string | null };
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
  const binding = () => (c.presented ? { tokenType: c.presented.scheme, jkt: c.proof?.jkt ?? c.claims?.cnf?.jkt ?? null } : undefined);
  try {
    await runChecks(c);
    const { claims, scopes, correlationId } = c;
    const result = await resource.serve({ claims: claims!, scopes: scopes!, correlationId: correlationId ?? UNCORRELATED }, request, ctx);
    // RFC 9449 §8.2: a DPoP client keeps the newest nonce it was given.
    if (c.proof) result.headers = { ...result.headers, ...(await nonceHeader(ctx.dpop, ctx.now)) };
    return { result, claims, correlationId, reached: c.reached, binding: binding() };
  } catch (error) {
    if (error instanceof NoAccessToken) {
      // RFC 6750 §3.1 and RFC 9449 §7.1: no authentication information, so a challenge with no error
      // code, for either scheme this API takes.
      return {
        result: { status: 401, headers: { "WWW-Authenticate": `${bearerChallenge(realm)}, ${dpopChallenge(realm)}` } },
        refusal: { check: error.check, description: error.description },
        reached: c.reached,
      };
    }
    const e = toOAuthError(error);
    // RFC 9449 §7.1: a request that used DPoP, or a DPoP-bound token, is answered with the DPoP challenge.
    const scheme = c.presented?.scheme === "DPoP" || c.claims?.cnf?.jkt ? "DPoP" : "Bearer";
    return {
      result: errorParts(error, { realm, scope: resource.scope, scheme }),
      claims: c.claims,
      correlationId: (error instanceof ApiRefusal && error.correlationId) || c.correlationId,
      refusal: { check: error instanceof ApiRefusal ? error.check : "server", description: e.description },
      reached: c.reached,
      binding: binding(),
    };
  }
}

/** Steps 6 and 7 of the flow, seen by the resource server (the recorder masks the Authorization header). */
async function recordApiEvents(
  request: Request,
  ctx: ResourceServerContext,
  resource: Resource,
  { result, claims, correlationId, refusal, reached, binding }: Outcome,
) {
  const authorization = request.headers.get("authorization");
  const subject = { run: correlationId ?? UNCORRELATED, clientId: claims?.client_id, userId: claims?.sub };
  const response = {
    status: result.status,
    ...(result.headers?.["WWW-Authenticate"] ? { headers: { "www-authenticate": result.headers["WWW-Authenticate"] } } : {}),
    body: result.body,
  };
  const validation = { revocationCheck: ctx.config.rsRevocationCheck, checks: validationChecks(reached, refusal?.check), ...binding };
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
