import { hashToken } from "../crypto";
import { authenticateClient } from "./client-auth";
import type { Context } from "../oauth/context";
import { errorResponse, OAuthError } from "../oauth/errors";
import { readForm, required } from "./params";
import { revokeGrant } from "./tokens";
import { revokeAccessToken } from "../records/access-token";
import { refreshTokenByHash } from "../records/refresh-token";
import { verifyOwnAccessToken } from "./access-token";

/**
 * RFC 7009: token revocation. A refresh token revokes its whole grant (§2.1: "SHOULD also invalidate
 * all access tokens based on the same authorization grant"); an access token revokes itself. Tokens
 * that are unknown or invalid are answered with 200 and change nothing (§2.2). A token issued to
 * another client is refused (§2.1: "If this validation fails, the request is refused") and stays valid.
 */
export async function handleRevocation(request: Request, ctx: Context): Promise<Response> {
  try {
    const params = await readForm(request);
    const client = await authenticateClient(ctx, request, params);
    const token = required(params, "token");
    const hint = params.get("token_type_hint");

    const notYours = () => new OAuthError("unauthorized_client", "The token was not issued to this client (RFC 7009 §2.1).");
    const tryRefresh = async () => {
      const row = await refreshTokenByHash(ctx.db, hashToken(token));
      if (!row) return false;
      if (row.clientId !== client.id) throw notYours();
      await revokeGrant(ctx, row.grantId);
      await ctx.emit({ type: "grant.revoked", run: row.correlationId, clientId: client.id, userId: row.userId });
      return true;
    };
    const tryAccess = async () => {
      if (token.split(".").length !== 3) return false;
      const claims = await verifyOwnAccessToken(ctx, token).then(
        (v) => v.claims,
        (error: unknown) => {
          // Invalid, expired or already revoked: nothing to do. An outage (503) is no answer about the token.
          if (error instanceof OAuthError && error.code === "invalid_token") return undefined;
          throw error;
        },
      );
      if (!claims) return false;
      if (claims.client_id !== client.id) throw notYours();
      const row = await revokeAccessToken(ctx.db, claims.jti, ctx.now);
      if (!row) return false;
      await ctx.emit({ type: "token.revoked", run: row.correlationId, clientId: client.id, userId: claims.sub, jti: claims.jti });
      return true;
    };
    // token_type_hint only orders the lookups (RFC 7009 §2.1).
    const [first, second] = hint === "access_token" ? [tryAccess, tryRefresh] : [tryRefresh, tryAccess];
    if (!(await first())) await second();
    return new Response(null, { status: 200, headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
