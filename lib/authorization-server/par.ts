import { randomToken, hashToken } from "../crypto";
import { correlationIdFor } from "../events";
import { addSeconds, type Context } from "../oauth/context";
import { errorResponse, OAuthError, toOAuthError } from "../oauth/errors";
import { insertPushedRequest } from "../records/pushed-request";
import { runOriginOf } from "../run-origin";
import { runOfSentChallenge } from "./authorize/check-pkce";
import { REQUEST_URI_PREFIX } from "./authorize/check-pushed-request";
import { checkRedirectUri } from "./authorize/check-redirect-uri";
import { checkRequestParameters } from "./authorize/check-request";
import { authenticateClient } from "./client-auth";
import { readForm, type Params } from "./params";
import { formatScope } from "./scope";
import type { DpopProof } from "../oauth/dpop";
import { endpointProof, nextNonce } from "./endpoint-proof";

/** RFC 9126 §2.2: how long a pushed request waits for the front channel (the RFC's example: 60 seconds). */
export const PUSHED_REQUEST_TTL_SECONDS = 60;

/** Credentials the client sends to authenticate the push: never stored with the request. */
const NOT_STORED = new Set(["client_secret"]);

/**
 * RFC 9126 §2: the pushed authorization request endpoint. The client authenticates as at the token
 * endpoint (a public client sends its client_id), the request is validated with /oauth/authorize's
 * own checks, and a one-time `request_uri` is returned (201). Errors are JSON, never a redirect (§2.3).
 * A DPoP proof sent with the push binds the code to its key (RFC 9449 §10.1).
 */
export async function handlePushedAuthorizationRequest(request: Request, ctx: Context): Promise<Response> {
  let correlationId = "par-endpoint";
  let clientId: string | undefined;
  let params: Params | undefined;
  const origin = runOriginOf(request);
  const marks = origin ? { origin } : {};
  const http = () => ({ method: request.method, url: request.url, body: params && Object.fromEntries(params) });
  try {
    params = await readForm(request);
    correlationId = runOfSentChallenge(params) ?? correlationId;
    const client = await authenticateClient(ctx, request, params);
    clientId = client.id;
    // §2.1: a pushed request cannot itself point at another one.
    if (params.has("request_uri"))
      throw new OAuthError("invalid_request", "A pushed request must not carry a request_uri (RFC 9126 §2.1).");
    checkRedirectUri(ctx.config, client, params.get("redirect_uri"));
    const { scopes, codeChallenge, dpopJkt } = checkRequestParameters(client, params);
    correlationId = correlationIdFor(codeChallenge);
    const proof = await pushProof(request, ctx, dpopJkt);

    const requestUri = REQUEST_URI_PREFIX + randomToken(24);
    const stored = new Map([...params].filter(([name]) => !NOT_STORED.has(name)));
    stored.set("client_id", client.id);
    if (proof) stored.set("dpop_jkt", proof.jkt);
    await insertPushedRequest(ctx.db, {
      id: hashToken(requestUri),
      clientId: client.id,
      params: JSON.stringify([...stored]),
      expiresAt: addSeconds(ctx.now, PUSHED_REQUEST_TTL_SECONDS),
      createdAt: ctx.now,
    });
    const body = { request_uri: requestUri, expires_in: PUSHED_REQUEST_TTL_SECONDS };
    await ctx.emit({
      type: "authorization.pushed",
      run: correlationId,
      clientId: client.id,
      http: { request: http(), response: { status: 201, headers: { "cache-control": "no-store" }, body } },
      scope: formatScope(scopes),
      expiresInSeconds: PUSHED_REQUEST_TTL_SECONDS,
      marks,
    });
    const nonce = await nextNonce(ctx, proof);
    return Response.json(body, { status: 201, headers: { "Cache-Control": "no-store", Pragma: "no-cache", ...nonce } });
  } catch (error) {
    const e = toOAuthError(error);
    if (e.code === "server_error") console.error("[authcode-lab] par:", error);
    await ctx.emit({
      type: "authorization.push-refused",
      run: correlationId,
      clientId,
      http: { request: http() },
      error: e.code,
      description: e.description,
      marks,
    });
    return errorResponse(error);
  }
}

/**
 * RFC 9449 §10.1: a push may carry a DPoP proof, checked against this endpoint's URL; the code is then
 * bound to its key, as with dpop_jkt, which must name the same key when both are sent.
 */
async function pushProof(request: Request, ctx: Context, dpopJkt: string | null): Promise<DpopProof | undefined> {
  const proof = await endpointProof(request, ctx, "/oauth/par");
  if (proof && dpopJkt !== null && dpopJkt !== proof.jkt) {
    throw new OAuthError("invalid_dpop_proof", "dpop_jkt and the DPoP proof's key must be the same key (RFC 9449 §10.1).");
  }
  return proof;
}
