import { hashToken } from "../crypto";
import { verifyOwnAccessToken } from "./access-token";
import { authenticateClient } from "./client-auth";
import { epochSeconds, type Context } from "../oauth/context";
import { errorResponse, invalidClient } from "../oauth/errors";
import { readForm, required } from "./params";
import { refreshTokenByHash } from "../records/refresh-token";

/**
 * RFC 7662: token introspection, for authenticated confidential clients (§2.1, protecting against
 * token scanning). A client learns about its own tokens only; the protected resources named in
 * INTROSPECTION_CLIENTS learn about every token (§4). An inactive, unknown or malformed token, or one
 * the caller may not see, is `{ "active": false }` and nothing more (§2.2).
 */
export async function handleIntrospection(request: Request, ctx: Context): Promise<Response> {
  try {
    const params = await readForm(request);
    const client = await authenticateClient(ctx, request, params);
    if (client.isPublic) throw invalidClient("Introspection requires a confidential client.", false);
    const token = required(params, "token");
    const hint = params.get("token_type_hint");
    const lookups = hint === "refresh_token" ? [refresh, access] : [access, refresh];
    let body: Record<string, unknown> = { active: false };
    for (const lookup of lookups) {
      const found = await lookup(ctx, token);
      if (found) {
        if (found.client_id === client.id || ctx.config.introspectionClients.includes(client.id)) body = found;
        break;
      }
    }
    return Response.json(body, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}

async function access(ctx: Context, token: string) {
  if (token.split(".").length !== 3) return null;
  try {
    const { claims: c } = await verifyOwnAccessToken(ctx, token);
    // RFC 9449 §6.2: a DPoP-bound token is of type DPoP, with its key's thumbprint in cnf.
    const jkt = c.cnf?.jkt;
    return {
      active: true,
      token_type: jkt ? "DPoP" : "Bearer",
      scope: c.scope,
      client_id: c.client_id,
      sub: c.sub,
      iss: c.iss,
      aud: c.aud,
      exp: c.exp,
      iat: c.iat,
      jti: c.jti,
      ...(jkt ? { cnf: { jkt } } : {}),
    };
  } catch {
    return null;
  }
}

async function refresh(ctx: Context, token: string) {
  const row = await refreshTokenByHash(ctx.db, hashToken(token));
  if (!row || row.rotatedAt || row.revokedAt || row.expiresAt <= ctx.now) return null;
  return {
    active: true,
    scope: row.scope,
    client_id: row.clientId,
    sub: row.userId,
    iss: ctx.config.issuer,
    exp: epochSeconds(row.expiresAt),
    iat: epochSeconds(row.createdAt),
  };
}
