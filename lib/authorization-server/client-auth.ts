import { constantTimeEqual, hashToken } from "../crypto";
import type { TokenEndpointAuthMethod } from "../oauth/vocabulary";
import { findClient, type Client } from "./clients";
import type { Context } from "../oauth/context";
import { invalidClient, OAuthError } from "../oauth/errors";
import type { Params } from "./params";

/**
 * Client authentication at the token, revocation and introspection endpoints (RFC 6749 §2.3.1,
 * §3.2.1): `client_secret_basic`, `client_secret_post`, or `none` for a public client, which only
 * identifies itself. One method per request, and the one the client registered.
 */
export async function authenticateClient(ctx: Context, request: Request, params: Params): Promise<Client> {
  const basic = parseBasic(request.headers.get("authorization"));
  const bodySecret = params.get("client_secret");
  const bodyId = params.get("client_id");
  if (basic && bodySecret !== undefined) throw new OAuthError("invalid_request", "Use one client authentication method, not two.");
  if (basic && bodyId !== undefined && bodyId !== basic.id)
    throw new OAuthError("invalid_request", "client_id does not match the Authorization header.");

  const method: TokenEndpointAuthMethod = basic ? "client_secret_basic" : bodySecret !== undefined ? "client_secret_post" : "none";
  const clientId = basic?.id ?? bodyId;
  if (clientId === undefined) throw invalidClient("Client authentication is required.", false);
  const client = await findClient(ctx.db, clientId);
  if (!client) throw invalidClient("Client authentication failed.", !!basic);
  if (client.authMethod !== method) {
    throw invalidClient(`This client authenticates with ${client.authMethod}, not ${method}.`, !!basic);
  }
  if (method !== "none") {
    const secret = basic?.secret ?? bodySecret!;
    if (!client.secretHash || !constantTimeEqual(hashToken(secret), client.secretHash)) {
      throw invalidClient("Client authentication failed.", !!basic);
    }
  }
  return client;
}

/** RFC 6749 §2.3.1: the id and secret are form-urlencoded, then joined by a colon and base64-encoded. */
function parseBasic(header: string | null): { id: string; secret: string } | null {
  if (!header) return null;
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header.trim());
  if (!match) throw invalidClient("The Authorization header is malformed.", true);
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw invalidClient("The Authorization header is malformed.", true);
  try {
    const id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " "));
    const secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " "));
    if (!id || id.length > 256 || secret.length > 512) throw new Error("length");
    return { id, secret };
  } catch {
    throw invalidClient("The Authorization header is malformed.", true);
  }
}
