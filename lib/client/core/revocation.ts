/** Token revocation, client side: RFC 7009 §2.1. */
import type { OutgoingRequest } from "./recorded-fetch";
import { clientSecretPost, type ClientCredentials } from "./token-request";

/**
 * @see RFC 7009 §2.1: revocation of a token by the client it was issued to; the hint only orders the
 * server's lookups. The server answers 200 whether or not it knew the token (§2.2).
 */
export function revocationRequest(
  revocationEndpoint: string,
  token: string,
  hint: "refresh_token" | "access_token",
  client: ClientCredentials,
): OutgoingRequest {
  return {
    method: "POST",
    url: revocationEndpoint,
    form: { token, token_type_hint: hint, ...clientSecretPost(client) },
  };
}
