import { accessTokenCredentials } from "../http";
import type { AccessTokenClaims } from "../oauth/access-token-jwt";
import type { Context } from "../oauth/context";
import { checkTokenPresentation, nonceHeader } from "../oauth/dpop";
import { bearerChallenge, dpopChallenge, errorResponse, OAuthError } from "../oauth/errors";
import { dpopServices } from "../dpop-services";
import { verifyOwnAccessToken } from "./access-token";

/** A verified access token at one of the authorization server's own protected resources. */
export type OwnAccessToken = { claims: AccessTokenClaims; correlationId: string };

/**
 * The authorization server's own protected resources (UserInfo, /account/grants): the access token in
 * the Authorization header only (RFC 6750 §2.1), as Bearer or, DPoP-bound, as DPoP with a proof of its
 * key (RFC 9449 §7.1); a refusal carries the challenge of the token's scheme (RFC 6750 §3, RFC 9449 §7.1),
 * a request without a token both. `path` is the resource's own, for the proof's htu.
 */
export async function withOwnAccessToken(
  request: Request,
  ctx: Context,
  path: string,
  handle: (token: OwnAccessToken) => Promise<Response>,
): Promise<Response> {
  const presented = accessTokenCredentials(request.headers.get("authorization"));
  const realm = ctx.config.issuer;
  if (presented === undefined) {
    return new Response(null, {
      status: 401,
      headers: { "WWW-Authenticate": `${bearerChallenge(realm)}, ${dpopChallenge(realm)}`, "Cache-Control": "no-store" },
    });
  }
  let scheme: "Bearer" | "DPoP" = presented?.scheme ?? "Bearer";
  try {
    if (presented === null) throw new OAuthError("invalid_request", "The Authorization header must be: Bearer <token> or DPoP <token>.");
    const { claims, correlationId } = await verifyOwnAccessToken(ctx, presented.token);
    if (claims.cnf?.jkt) scheme = "DPoP";
    const services = dpopServices(ctx.db, ctx.config, ctx.now);
    const proof = await checkTokenPresentation(
      presented,
      claims.cnf?.jkt,
      { headers: request.headers, method: request.method, url: `${realm}${path}` },
      services,
      ctx.now,
    );
    const response = await handle({ claims, correlationId });
    if (proof) for (const [name, value] of Object.entries(await nonceHeader(services, ctx.now))) response.headers.set(name, value);
    return response;
  } catch (error) {
    return errorResponse(error, { realm, scope: "openid", scheme });
  }
}
