import { authenticateClient } from "./client-auth";
import type { Context } from "./context";
import { errorResponse, OAuthError } from "./errors";
import { GRANTS } from "./grants";
import { readForm, required } from "./params";
import { recordEvent } from "../events";

/** RFC 6749 §3.2 and §5: the token endpoint. Every response is `Cache-Control: no-store`. */
export async function handleToken(request: Request, ctx: Context): Promise<Response> {
  try {
    const params = await readForm(request);
    const client = await authenticateClient(ctx, request, params);
    const grantType = required(params, "grant_type");
    // Own keys only: `__proto__` or `constructor` must not find an Object.prototype member.
    const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType as keyof typeof GRANTS] : undefined;
    if (!grant) throw new OAuthError("unsupported_grant_type", `grant_type ${grantType} is not supported.`);
    const tokens = await grant.handle(ctx, client, params);
    return Response.json(tokens, { headers: { "Cache-Control": "no-store", Pragma: "no-cache" } });
  } catch (error) {
    if (error instanceof OAuthError && error.code === "invalid_client") {
      await recordEvent(ctx.db, { correlationId: "token-endpoint", role: "authorization-server", step: 4, name: "Client authentication failed", outcome: "error" });
    }
    return errorResponse(error);
  }
}
