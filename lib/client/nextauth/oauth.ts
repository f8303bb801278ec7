import { discover, type ServerMetadata as FullMetadata } from "../core/discovery";

/**
 * The back-channel calls the next-auth client makes itself, beside what Auth.js does for sign-in:
 * discovery (shared with the walkthrough), the refresh token grant and revocation. Plain `fetch`, framework-free, so each request
 * reads like the RFC section it implements and unit tests can pass their own `fetch`.
 */

export type Fetch = typeof fetch;

/** The client's registration: client_secret_basic, as in lib/demo.ts. */
export type ClientCredentials = { id: string; secret: string };

/**
 * The authorization server metadata fields this client uses (RFC 8414 §2), from the one discovery of
 * the client role (lib/client/core/discovery.ts, re-exported here): validated, issuer compared
 * exactly (OpenID Connect Discovery §4.3), cached per issuer.
 */
export type ServerMetadata = Pick<FullMetadata, "issuer" | "token_endpoint" | "revocation_endpoint">;
export { discover };

/** An OAuth error response (RFC 6749 §5.2), or a response that was not one at all. */
export class TokenEndpointError extends Error {
  override name = "TokenEndpointError";
  constructor(
    readonly code: string,
    readonly status: number,
    description?: string,
  ) {
    super(description ? `${code}: ${description}` : code);
  }
}

/**
 * RFC 6749 §2.3.1: client_secret_basic. The id and secret are form-urlencoded before they are joined
 * and base64-encoded (Auth.js does the same for the code exchange).
 */
export function clientSecretBasic(client: ClientCredentials): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(client.id)}:${encode(client.secret)}`).toString("base64")}`;
}

/** A form POST with the client's authentication (client_secret_basic). */
export const formPost = (client: ClientCredentials, body: Record<string, string>): RequestInit => ({
  method: "POST",
  headers: { Authorization: clientSecretBasic(client), "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
  body: new URLSearchParams(body),
  cache: "no-store",
});

/** RFC 6749 §5.1: the fields of a successful token response this client keeps. */
export type RefreshedTokens = { access_token: string; refresh_token?: string; expires_in: number; scope?: string };

/** RFC 6749 §6: the refresh token grant. The response may carry a new (rotated) refresh token. */
export async function refreshTokenGrant(
  metadata: ServerMetadata,
  client: ClientCredentials,
  refreshToken: string,
  fetchImpl: Fetch = fetch,
): Promise<RefreshedTokens> {
  const response = await fetchImpl(metadata.token_endpoint, formPost(client, { grant_type: "refresh_token", refresh_token: refreshToken }));
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new TokenEndpointError(
      typeof body.error === "string" ? body.error : "invalid_response",
      response.status,
      typeof body.error_description === "string" ? body.error_description : undefined,
    );
  }
  const { access_token, token_type, expires_in, refresh_token, scope } = body;
  if (typeof access_token !== "string" || !access_token)
    throw new TokenEndpointError("invalid_response", response.status, "no access_token");
  if (typeof token_type !== "string" || token_type.toLowerCase() !== "bearer")
    throw new TokenEndpointError("invalid_response", response.status, "token_type is not Bearer");
  if (typeof expires_in !== "number" || !(expires_in > 0))
    throw new TokenEndpointError("invalid_response", response.status, "no expires_in");
  return {
    access_token,
    expires_in,
    ...(typeof refresh_token === "string" && refresh_token ? { refresh_token } : {}),
    ...(typeof scope === "string" ? { scope } : {}),
  };
}

/**
 * RFC 7009 §2.1: revokes a token. Revoking a refresh token revokes its grant, access tokens
 * included, at this authorization server. Returns the HTTP status (200 whatever the token was, §2.2).
 */
export async function revokeToken(
  metadata: ServerMetadata,
  client: ClientCredentials,
  token: string,
  hint: "refresh_token" | "access_token",
  fetchImpl: Fetch = fetch,
): Promise<number> {
  if (!metadata.revocation_endpoint) throw new Error("The authorization server has no revocation_endpoint.");
  const response = await fetchImpl(metadata.revocation_endpoint, formPost(client, { token, token_type_hint: hint }));
  await response.body?.cancel();
  if (!response.ok) throw new TokenEndpointError("revocation_failed", response.status);
  return response.status;
}
