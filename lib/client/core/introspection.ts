/** Token introspection, client side: RFC 7662 §2.1–2.2. */
import type { OutgoingRequest } from "./recorded-fetch";
import type { ClientCredentials } from "./token-request";

/** @see RFC 7662 §2.1: asks the authorization server whether a token is active; for confidential clients. */
export function introspectionRequest(
  introspectionEndpoint: string,
  token: string,
  hint: "refresh_token" | "access_token",
  client: Required<ClientCredentials>,
): OutgoingRequest {
  return {
    method: "POST",
    url: introspectionEndpoint,
    form: { token, token_type_hint: hint, client_id: client.clientId, client_secret: client.clientSecret },
  };
}

/** @see RFC 7662 §2.2: `active` is the one member every answer has. */
export function isActive(body: unknown): boolean | undefined {
  if (!body || typeof body !== "object") return undefined;
  const active = (body as Record<string, unknown>).active;
  return typeof active === "boolean" ? active : undefined;
}
