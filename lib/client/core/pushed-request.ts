/** Pushed authorization requests, client side: RFC 9126 §2.1 (the request) and §2.2–2.3 (the response). */
import { authorizationParameters, type AuthorizationUrlInput } from "./authorization-url";
import type { OutgoingRequest } from "./recorded-fetch";
import { clientSecretPost, type ClientCredentials } from "./token-request";

/**
 * @see RFC 9126 §2.1: the authorization request's parameters, POSTed from the client's server with the
 * client's authentication as at the token endpoint (client_secret_post here; a public client sends its client_id).
 */
export function pushedAuthorizationRequest(endpoint: string, input: AuthorizationUrlInput, client: ClientCredentials): OutgoingRequest {
  return { method: "POST", url: endpoint, form: { ...Object.fromEntries(authorizationParameters(input)), ...clientSecretPost(client) } };
}

export type PushedResult = { ok: true; requestUri: string; expiresIn: number } | { ok: false; error: string; description?: string };

/** @see RFC 9126 §2.2 (201 with request_uri and expires_in) and §2.3 (an OAuth error in JSON). */
export function readPushedResponse(status: number, body: unknown): PushedResult {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  if (status === 201 && typeof b.request_uri === "string" && typeof b.expires_in === "number" && b.expires_in > 0) {
    return { ok: true, requestUri: b.request_uri, expiresIn: b.expires_in };
  }
  if (typeof b.error === "string") {
    return { ok: false, error: b.error, ...(typeof b.error_description === "string" ? { description: b.error_description } : {}) };
  }
  return {
    ok: false,
    error: status === 0 ? "network_error" : `http_${status}`,
    description: "The pushed authorization request endpoint did not answer 201 with a request_uri and expires_in (RFC 9126 §2.2).",
  };
}
