import type { Context } from "../oauth/context";
import { OAuthError } from "../oauth/errors";
import { withOwnAccessToken } from "./own-resource";
import { splitScope } from "./scope";
import { userProfile } from "../records/user";

/**
 * OpenID Connect Core §5.3: the UserInfo endpoint, a protected resource of the authorization server.
 * The token comes in the Authorization header only (RFC 6750 §2.1), as Bearer or, DPoP-bound, as DPoP
 * with a proof of its key (RFC 9449 §7.1); errors carry WWW-Authenticate (§3).
 */
export function handleUserinfo(request: Request, ctx: Context): Promise<Response> {
  return withOwnAccessToken(request, ctx, "/oauth/userinfo", async ({ claims, correlationId }) => {
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
        request: { method: request.method, url: request.url, headers: { authorization: request.headers.get("authorization") ?? "" } },
        response: { status: 200, body },
      },
    });
    return Response.json(body, { headers: { "Cache-Control": "no-store" } });
  });
}
