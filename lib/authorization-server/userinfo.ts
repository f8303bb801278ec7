import { accessTokenCredentials } from "../http";
import { verifyOwnAccessToken } from "./access-token";
import type { Context } from "../oauth/context";
import { checkTokenPresentation, nonceHeader } from "../oauth/dpop";
import { bearerChallenge, dpopChallenge, errorResponse, OAuthError } from "../oauth/errors";
import { dpopServices } from "../dpop-services";
import { splitScope } from "./scope";
import { userProfile } from "../records/user";

/**
 * OpenID Connect Core §5.3: the UserInfo endpoint, a protected resource of the authorization server.
 * The token comes in the Authorization header only (RFC 6750 §2.1), as Bearer or, DPoP-bound, as DPoP
 * with a proof of its key (RFC 9449 §7.1); errors carry WWW-Authenticate (§3).
 */
export async function handleUserinfo(request: Request, ctx: Context): Promise<Response> {
  const header = request.headers.get("authorization");
  const presented = accessTokenCredentials(header);
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
      { headers: request.headers, method: request.method, url: `${realm}/oauth/userinfo` },
      services,
      ctx.now,
    );
    const scopes = splitScope(claims.scope ?? "");
    if (!scopes.includes("openid")) throw new OAuthError("insufficient_scope", "The openid scope is required.");
    const user = await userProfile(ctx.db, claims.sub);
    if (!user) throw new OAuthError("invalid_token", "The token's user no longer exists.");
    const body: Record<string, unknown> = { sub: user.id };
    if (scopes.includes("profile")) Object.assign(body, { name: user.name, preferred_username: user.username });
    if (scopes.includes("email")) Object.assign(body, { email: user.email, email_verified: user.emailVerified });
    await ctx.emit({
      type: "userinfo.served",
      run: correlationId,
      clientId: claims.client_id,
      userId: user.id,
      http: {
        request: { method: request.method, url: request.url, headers: { authorization: header ?? "" } },
        response: { status: 200, body },
      },
    });
    return Response.json(body, { headers: { "Cache-Control": "no-store", ...(proof ? await nonceHeader(services, ctx.now) : {}) } });
  } catch (error) {
    return errorResponse(error, { realm, scope: "openid", scheme });
  }
}
