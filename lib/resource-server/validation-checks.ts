import { VALIDATION_STEPS, type CheckResult, type ValidationStep } from "../oauth/api-checks";
import { checkTokenPresentation, type DpopProof } from "../oauth/dpop";
import { OAuthError } from "../oauth/errors";
import type { PresentedToken } from "../http";
import { readBearerToken } from "./bearer-token";
import type { AccessTokenClaims, Resource, ResourceServerContext } from "./context";
import { ApiRefusal, NoAccessToken, type Check } from "./errors";
import { checkNotRevoked } from "./revocation";
import { requireScope, scopesOf } from "./scope";
import { verifyAccessToken } from "./verify-access-token";

/** One request as the checks see it: each check reads what the earlier ones found and adds its own. */
export type Checking = {
  readonly request: Request;
  readonly ctx: ResourceServerContext;
  readonly resource: Resource;
  /** The check running now, or "resource" once every check passed: where a refusal stopped them. */
  reached: Reached;
  token?: string;
  /** How the token came: `Bearer`, or `DPoP` with a proof (RFC 9449 §7.1). */
  presented?: PresentedToken;
  /** The DPoP proof that passed, for a DPoP-bound token. */
  proof?: DpopProof;
  claims?: AccessTokenClaims;
  scopes?: string[];
  /** The flow the token belongs to, when its record says (the jti lookup). */
  correlationId?: string;
};

export type Reached = ValidationStep | "resource";

/**
 * One check of the protected API: its id, name and RFC section (lib/oauth/api-checks.ts, which the
 * clients read back from the step-7 event), the finer names its refusals may record, and the function
 * that runs it. A check without a function is run by the function of the check before it.
 */
export type ApiCheck = (typeof VALIDATION_STEPS)[number] & { refusals: readonly Check[]; run?: (c: Checking) => Promise<void> };

const check = (id: ValidationStep, run?: ApiCheck["run"], refusals: readonly Check[] = []): ApiCheck => ({
  ...VALIDATION_STEPS.find((s) => s.id === id)!,
  refusals,
  run,
});

/**
 * RFC 6750: the checks of one request to a protected resource, in the order a production API runs
 * them: the bearer token from the Authorization header (§2.1), the JWT (RFC 8725 §3.1, RFC 9068 §4),
 * revocation (RFC 7009, or RFC 7662 introspection), the sender constraint (RFC 9449 §7.1: a DPoP-bound
 * token with a proof of its key), then the scope (§3.1); only then the resource.
 */
export const API_CHECKS: readonly ApiCheck[] = [
  check("token", readToken, ["token-present", "authorization-header", "token-in-query", "token-in-body"]),
  // jose runs the JWS, kid, signature, typ, iss, aud and exp checks in one pass, in this order; then the claims.
  check("jws", verifyJwt, ["jwt", "alg"]),
  check("kid", undefined, ["authorization-server"]),
  check("signature"),
  check("typ"),
  check("iss"),
  check("aud"),
  check("exp", undefined, ["nbf"]),
  check("claims"),
  check("revocation", checkRevocation, ["authorization-server"]),
  // After revocation: its record names the run, so a stolen token's refusal shows in the run it was stolen from.
  check("dpop", checkSenderConstraint),
  check("scope", checkScope),
];

async function readToken(c: Checking) {
  c.presented = await readBearerToken(c.request);
  if (c.presented === undefined) throw new NoAccessToken();
  c.token = c.presented.token;
}

/** RFC 9449 §7.1: the proof is checked against this API's URL from APP_URL, never the Host header. */
async function checkSenderConstraint(c: Checking) {
  const { ctx, request } = c;
  try {
    c.proof = await checkTokenPresentation(
      c.presented!,
      c.claims!.cnf?.jkt,
      { headers: request.headers, method: request.method, url: `${ctx.config.issuer}${new URL(request.url).pathname}` },
      ctx.dpop,
      ctx.now,
    );
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    throw new ApiRefusal("dpop", error.code, error.description, { status: error.status, headers: error.headers });
  }
}

async function verifyJwt(c: Checking) {
  c.claims = await verifyAccessToken(c.token!, c.ctx);
}

async function checkRevocation(c: Checking) {
  ({ correlationId: c.correlationId } = await checkNotRevoked(c.token!, c.claims!, c.ctx));
}

async function checkScope(c: Checking) {
  c.scopes = scopesOf(c.claims!.scope);
  requireScope(c.scopes, c.resource.scope);
}

/** Runs the checks in order; when one refuses, `c.reached` is the check that was running. */
export async function runChecks(c: Checking): Promise<void> {
  for (const { id, run } of API_CHECKS) {
    if (!run) continue;
    c.reached = id;
    await run(c);
  }
  c.reached = "resource";
}

/**
 * The check a refusal fails: the one it names or that lists it, looking first among the checks from
 * the running one on (an unreachable authorization server fails the check that asked it), then before
 * it (a token record that ended the token early fails exp).
 */
function failedCheck(refusal: Check, from: number): number {
  const names = (c: ApiCheck) => c.id === refusal || c.refusals.includes(refusal);
  const later = API_CHECKS.findIndex((c, i) => i >= from && names(c));
  return later >= 0 ? later : API_CHECKS.findIndex(names);
}

/**
 * Every check's result for one request, from where the checks stopped and the refusal that stopped
 * them: the checks before the failed one passed, it failed, and the later ones were not run. A refusal
 * that is no check's (a server error, or the resource's own) fails none: what ran before passed.
 */
export function validationChecks(reached: Reached, refusal?: Check): CheckResult[] {
  const from = reached === "resource" ? API_CHECKS.length : API_CHECKS.findIndex((c) => c.id === reached);
  const failed = refusal === undefined ? -1 : failedCheck(refusal, from);
  const stop = failed >= 0 ? failed : from;
  return API_CHECKS.map((c, i) => ({ check: c.id, result: i < stop ? "passed" : i === failed ? "failed" : "not run" }));
}
