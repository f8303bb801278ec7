import { authenticateClient } from "./client-auth";
import type { Context } from "../oauth/context";
import { errorResponse, OAuthError } from "../oauth/errors";
import { GRANTS } from "./grants";
import { readForm, required, type Params } from "./params";
import { hashToken } from "../crypto";
import { runOfCode } from "../records/authorization-code";
import { runOfRefreshToken } from "../records/refresh-token";
import type { DpopProof } from "../oauth/dpop";
import { endpointProof, nextNonce } from "./endpoint-proof";
import type { Client } from "./clients";

/** RFC 6749 §3.2 and §5: the token endpoint. Every response is `Cache-Control: no-store`. */
export async function handleToken(request: Request, ctx: Context): Promise<Response> {
  let params: Params | undefined;
  let client: Client | undefined;
  try {
    params = await readForm(request);
    client = await authenticateClient(ctx, request, params);
    const grantType = required(params, "grant_type");
    // Own keys only: `__proto__` or `constructor` must not find an Object.prototype member.
    const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType as keyof typeof GRANTS] : undefined;
    if (!grant) throw new OAuthError("unsupported_grant_type", `grant_type ${grantType} is not supported.`);
    // Before the grant: a refused proof must not spend the code or rotate the refresh token.
    const dpop = await tokenRequestProof(request, ctx, client);
    const tokens = await grant.handle(ctx, client, params, dpop);
    const nonce = await nextNonce(ctx, dpop);
    return Response.json(tokens, { headers: { "Cache-Control": "no-store", Pragma: "no-cache", ...nonce } });
  } catch (error) {
    if (error instanceof OAuthError && error.code === "invalid_client") {
      const correlationId = (params && (await presentedRun(ctx, params))) ?? "token-endpoint";
      await ctx.emit({ type: "client.authentication-failed", run: correlationId });
    }
    if (error instanceof OAuthError && (error.code === "invalid_dpop_proof" || error.code === "use_dpop_nonce")) {
      const correlationId = (params && (await presentedRun(ctx, params))) ?? "token-endpoint";
      await ctx.emit({ type: "dpop.refused", run: correlationId, clientId: client?.id, error: error.code, description: error.description });
    }
    return errorResponse(error);
  }
}

/**
 * RFC 9449 §5: the token request's DPoP proof, checked against this endpoint's URL from the issuer
 * (never the Host header); a client registered with dpop_bound_access_tokens must send one (§5.2).
 */
async function tokenRequestProof(request: Request, ctx: Context, client: Client): Promise<DpopProof | undefined> {
  const proof = await endpointProof(request, ctx, "/oauth/token");
  if (!proof && client.dpopBound)
    throw new OAuthError("invalid_dpop_proof", "This client is registered with dpop_bound_access_tokens: send a DPoP proof.");
  return proof;
}

/**
 * The run of the code or refresh token a request presented, so that a failed client authentication
 * shows in that run (a participant's wrong secret, the lab's attack) rather than in no run at all. It
 * adds an event to the run and tells the sender nothing.
 */
async function presentedRun(ctx: Context, params: Params): Promise<string | undefined> {
  const code = params.get("code");
  const refreshToken = params.get("refresh_token");
  if (code) return (await runOfCode(ctx.db, hashToken(code))) ?? undefined;
  if (refreshToken) return (await runOfRefreshToken(ctx.db, hashToken(refreshToken))) ?? undefined;
  return undefined;
}
