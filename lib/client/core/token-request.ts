/** The token endpoint, client side: RFC 6749 §4.1.3 and §6 (requests), §5.1–5.2 (response), §2.3.1 (client authentication). */
import type { OutgoingRequest } from "./recorded-fetch";

/** The client's registration: client_secret_post, so the secret travels in the form body; no secret for a public client. */
export type ClientCredentials = { clientId: string; clientSecret?: string };

/**
 * @see RFC 6749 §2.3.1: client_secret_post puts client_id and client_secret in the request body; a public
 * client (§2.1) sends only its client_id (§3.2.1), and PKCE's code_verifier proves it is the same client.
 */
export const clientSecretPost = (client: ClientCredentials): Record<string, string> =>
  client.clientSecret === undefined ? { client_id: client.clientId } : { client_id: client.clientId, client_secret: client.clientSecret };

/**
 * @see RFC 6749 §4.1.3 (with RFC 7636 §4.5): the code exchange: the code, the same redirect_uri as in the
 * authorization request, and the PKCE code_verifier, sent from the client's server (back channel).
 */
export function authorizationCodeRequest(
  tokenEndpoint: string,
  input: { code: string; redirectUri: string; codeVerifier: string },
  client: ClientCredentials,
): OutgoingRequest {
  return {
    method: "POST",
    url: tokenEndpoint,
    form: {
      grant_type: "authorization_code",
      code: input.code,
      redirect_uri: input.redirectUri,
      code_verifier: input.codeVerifier,
      ...clientSecretPost(client),
    },
  };
}

/** @see RFC 6749 §6: a refresh token for a new access token (and, with rotation, a new refresh token). */
export function refreshTokenRequest(tokenEndpoint: string, refreshToken: string, client: ClientCredentials): OutgoingRequest {
  return {
    method: "POST",
    url: tokenEndpoint,
    form: { grant_type: "refresh_token", refresh_token: refreshToken, ...clientSecretPost(client) },
  };
}

/** What the client keeps of a token response (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3). */
export type TokenSet = {
  receivedAt: string;
  accessToken: string;
  tokenType: string;
  /** From expires_in, counted from when the response arrived (RFC 6749 §5.1). */
  expiresAt?: string;
  expiresIn?: number;
  scope?: string;
  refreshToken?: string;
  idToken?: string;
};

export type TokenResult = { ok: true; tokens: TokenSet } | { ok: false; error: string; description?: string };

/**
 * @see RFC 6749 §5.1 (success: 200, access_token, token_type Bearer) and §5.2 (error); with a DPoP proof
 * sent, the token must be DPoP-bound (RFC 9449 §5: token_type DPoP).
 */
export function readTokenResponse(
  status: number,
  body: unknown,
  receivedAt: Date,
  expectedType: "Bearer" | "DPoP" = "Bearer",
): TokenResult {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  if (status !== 200) {
    return typeof b.error === "string"
      ? { ok: false, error: b.error, ...(typeof b.error_description === "string" ? { description: b.error_description } : {}) }
      : {
          ok: false,
          error: status === 0 ? "network_error" : `http_${status}`,
          description: "The token endpoint did not answer with an OAuth error.",
        };
  }
  if (typeof b.access_token !== "string" || typeof b.token_type !== "string") {
    return { ok: false, error: "invalid_response", description: "The token response has no access_token or token_type (RFC 6749 §5.1)." };
  }
  if (b.token_type.toLowerCase() !== expectedType.toLowerCase())
    return { ok: false, error: "invalid_response", description: `token_type ${b.token_type} is not ${expectedType}.` };
  const expiresIn = typeof b.expires_in === "number" && b.expires_in > 0 ? b.expires_in : undefined;
  return {
    ok: true,
    tokens: {
      receivedAt: receivedAt.toISOString(),
      accessToken: b.access_token,
      tokenType: b.token_type,
      ...(expiresIn ? { expiresIn, expiresAt: new Date(receivedAt.getTime() + expiresIn * 1000).toISOString() } : {}),
      ...(typeof b.scope === "string" ? { scope: b.scope } : {}),
      ...(typeof b.refresh_token === "string" ? { refreshToken: b.refresh_token } : {}),
      ...(typeof b.id_token === "string" ? { idToken: b.id_token } : {}),
    },
  };
}
