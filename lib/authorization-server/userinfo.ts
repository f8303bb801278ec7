import { bearerCredentials } from "../http";
import { verifyOwnAccessToken } from "./access-token";
import type { Context } from "../oauth/context";
import { bearerChallenge, errorResponse, OAuthError } from "../oauth/errors";
import { splitScope } from "./scope";
import { userProfile } from "../records/user";

/**
 * OpenID Connect Core §5.3: the UserInfo endpoint, a protected resource of the authorization server.
 * The token comes in the Authorization header only (RFC 6750 §2.1); errors carry WWW-Authenticate (§3).
 */
export async function handleUserinfo(request: Request, ctx: Context): Promise<Response> {
  const header = request.headers.get("authorization");
  const token = bearerCredentials(header);
  if (token === undefined) {
    return new Response(null, {
      status: 401,
      headers: { "WWW-Authenticate": bearerChallenge(ctx.config.issuer), "Cache-Control": "no-store" },
    });
  }
  try {
    if (token === null) throw new OAuthError("invalid_request", "The Authorization header must be: Bearer <token>.");
    const { claims, correlationId } = await verifyOwnAccessToken(ctx, token);
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
    return Response.json(body, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error, { realm: ctx.config.issuer, scope: "openid" });
  }
}
