import { isDatabaseUnavailable } from "../database-unavailable";
import { DPOP_ALGORITHMS } from "./access-token-jwt";

/**
 * The one OAuth error type, shared by the roles (lib/oauth/: what the three roles share, and nothing
 * role-specific): the RFC `error` code, its HTTP status and whether it may be sent back to the client's
 * redirect URI, decided here for the whole app (after node-oidc-provider's errors.js).
 */

/** Error codes, grouped by the RFC section that defines them. */
export type OAuthErrorCode =
  // RFC 6749 §4.1.2.1: authorization endpoint
  | "invalid_request"
  | "unauthorized_client"
  | "access_denied"
  | "unsupported_response_type"
  | "invalid_scope"
  | "server_error"
  | "temporarily_unavailable"
  // RFC 6749 §5.2: token endpoint
  | "invalid_client"
  | "invalid_grant"
  | "unsupported_grant_type"
  // RFC 7009 §2.2.1: revocation endpoint
  | "unsupported_token_type"
  // RFC 6750 §3.1: bearer token use
  | "invalid_token"
  | "insufficient_scope"
  // OpenID Connect Core §3.1.2.6: prompt=none
  | "login_required"
  | "consent_required"
  | "interaction_required"
  // RFC 7591 §3.2.2: dynamic client registration
  | "invalid_redirect_uri"
  | "invalid_client_metadata"
  // RFC 9449 §5 and §7.1: DPoP, at the token endpoint (400) and a protected resource (401, set by the resource server)
  | "invalid_dpop_proof"
  | "use_dpop_nonce"
  // This app's own answers, outside the RFCs' registries: a missing note or test endpoint, a user that
  // exists already, a method the route does not take, and a rate limit of the self-check.
  | "not_found"
  | "conflict"
  | "method_not_allowed"
  | "rate_limited";

const STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  unauthorized_client: 400,
  access_denied: 403,
  unsupported_response_type: 400,
  invalid_scope: 400,
  server_error: 500,
  temporarily_unavailable: 503,
  invalid_client: 401,
  invalid_grant: 400,
  unsupported_grant_type: 400,
  unsupported_token_type: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  login_required: 400,
  consent_required: 400,
  interaction_required: 400,
  invalid_redirect_uri: 400,
  invalid_client_metadata: 400,
  invalid_dpop_proof: 400,
  use_dpop_nonce: 400,
  not_found: 404,
  conflict: 409,
  method_not_allowed: 405,
  rate_limited: 429,
};

/**
 * RFC 6749 §5.2 and RFC 6750 §3: error_description uses only %x20-21 / %x23-5B / %x5D-7E, so that it
 * is safe in a header, a JSON body and a redirect alike; anything else (an echoed parameter name, say)
 * is replaced, and the length is capped.
 */
export function safeDescription(text: string): string {
  return text
    .replace(/§/g, "section ")
    .replace(/…/g, "...")
    .replace(/["\\]/g, "'")
    .replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, "?")
    .slice(0, 300);
}

export class OAuthError extends Error {
  readonly status: number;
  constructor(
    readonly code: OAuthErrorCode,
    /** Human-readable, safe to show to the client: never internals. */
    readonly description: string,
    options: {
      /** False for errors that must never be redirected: an unverified client_id or redirect_uri (RFC 6749 §4.1.2.1). */
      redirectable?: boolean;
      status?: number;
      /** Extra response headers (WWW-Authenticate). */
      headers?: Record<string, string>;
    } = {},
  ) {
    super(`${code}: ${description}`);
    this.name = "OAuthError";
    this.description = safeDescription(description);
    this.status = options.status ?? STATUS[code];
    this.redirectable = options.redirectable ?? true;
    this.headers = options.headers ?? {};
  }
  readonly redirectable: boolean;
  readonly headers: Record<string, string>;
}

/** RFC 6749 §3.1.2.4: an unknown client or an unregistered redirect URI is shown, never redirected. */
export const invalidRedirectTarget = (description: string) => new OAuthError("invalid_request", description, { redirectable: false });

/** RFC 6749 §5.2: a failed client authentication; with Basic credentials it carries the challenge. */
export const invalidClient = (description: string, usedBasic: boolean) =>
  new OAuthError("invalid_client", description, {
    headers: usedBasic ? { "WWW-Authenticate": 'Basic realm="authcode-lab", charset="UTF-8"' } : {},
  });

/** How long a client is asked to wait when the database is unavailable (RFC 9110 §10.2.3 Retry-After). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The database is down or not answering (lib/database-unavailable.ts): RFC 6749 §4.1.2.1's
 * temporarily_unavailable, with HTTP 503 and Retry-After (RFC 9110 §15.6.4). §5.2 lists no such code
 * for the token endpoint, whose errors are JSON, so nothing stops the 503 that §4.1.2.1 says the code
 * stands for; that is the common practice (ory/fosite's ErrTemporarilyUnavailable is 503 at every
 * endpoint; Auth0's Authentication API answers 503 temporarily_unavailable), and a client that does not
 * know the code still sees a 5xx it may retry, rather than a 4xx that blames its request.
 */
export const databaseUnavailable = () =>
  new OAuthError("temporarily_unavailable", "The authorization server's database is unavailable; try again shortly.", {
    headers: { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) },
  });

/**
 * Anything that is not an OAuthError leaves as server_error, with no internals (oidc-provider
 * err_out.js); a database outage leaves as temporarily_unavailable, since the request itself was fine.
 */
export function toOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  if (isDatabaseUnavailable(error)) return databaseUnavailable();
  return new OAuthError("server_error", "The server could not complete the request.");
}

/**
 * For a resource protected by an access token (RFC 6750 §3): the challenge's realm, the scope an
 * insufficient_scope names, and its scheme: `DPoP` (RFC 9449 §7.1) when the request or its token used DPoP.
 */
export type BearerChallenge = { realm: string; scope?: string; onlyFor?: OAuthErrorCode[]; scheme?: "Bearer" | "DPoP" };

/** The error body of RFC 6749 §5.2 and RFC 6750 §3: `error` and `error_description`. */
export const errorBody = (e: OAuthError) => ({ error: e.code, error_description: e.description });

/**
 * An error as the parts of its response, in one place for every endpoint: the status, the JSON body,
 * `Cache-Control: no-store`, the error's own headers (Retry-After) and, for a bearer-protected
 * resource, the WWW-Authenticate challenge (RFC 6750 §3), which a 5xx never gets: the database away is
 * not the token's fault. Logs what the client is not told: a server error's stack, an outage.
 */
export function errorParts(
  error: unknown,
  bearer?: BearerChallenge,
): { status: number; body: ReturnType<typeof errorBody>; headers: Record<string, string> } {
  const e = toOAuthError(error);
  if (e.code === "server_error") console.error("[authcode-lab] server_error:", error instanceof Error ? error.stack : error);
  else if (e.code === "temporarily_unavailable" && e.status === 503)
    console.error("[authcode-lab] temporarily unavailable:", error instanceof Error ? (error.cause ?? error.message) : error);
  const challenge: Record<string, string> =
    bearer && e.status < 500 && (!bearer.onlyFor || bearer.onlyFor.includes(e.code))
      ? {
          "WWW-Authenticate": (bearer.scheme === "DPoP" ? dpopChallenge : bearerChallenge)(
            bearer.realm,
            e,
            e.code === "insufficient_scope" ? bearer.scope : undefined,
          ),
        }
      : {};
  return { status: e.status, body: errorBody(e), headers: { "Cache-Control": "no-store", Pragma: "no-cache", ...challenge, ...e.headers } };
}

/** An error as a JSON Response (token, revocation, introspection, registration, UserInfo, the run readers, ...). */
export function errorResponse(error: unknown, bearer?: BearerChallenge): Response {
  const { status, body, headers } = errorParts(error, bearer);
  return Response.json(body, { status, headers });
}

/**
 * RFC 6750 §3: the Bearer challenge. A request that sent no token gets no error code (§3.1);
 * quotes and backslashes never reach the header.
 */
export function bearerChallenge(realm: string, error?: OAuthError, scope?: string): string {
  return `Bearer ${challengeParams(realm, error, scope).join(", ")}`;
}

/** RFC 9449 §7.1: the DPoP challenge, with the proof algorithms accepted (`algs`). */
export function dpopChallenge(realm: string, error?: OAuthError, scope?: string): string {
  return `DPoP ${[...challengeParams(realm, error, scope), `algs="${DPOP_CHALLENGE_ALGS}"`].join(", ")}`;
}

const DPOP_CHALLENGE_ALGS = DPOP_ALGORITHMS.join(" ");

function challengeParams(realm: string, error?: OAuthError, scope?: string): string[] {
  const q = (v: string) => `"${safeDescription(v)}"`;
  const parts = [`realm=${q(realm)}`];
  if (error) parts.push(`error=${q(error.code)}`, `error_description=${q(error.description)}`);
  if (scope) parts.push(`scope=${q(scope)}`);
  return parts;
}
