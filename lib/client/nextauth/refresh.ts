import { createHash } from "node:crypto";
import type { JWT } from "@auth/core/jwt";
import type { HttpExchange } from "../../events";
import { discover, refreshTokenGrant, TokenEndpointError, type ClientCredentials, type Fetch } from "./oauth";

/**
 * Refresh when the access token has expired or expires within this many seconds; for very short
 * lifetimes (a workshop's 8 seconds) within a quarter of the lifetime, so a fresh token is used first.
 */
export const REFRESH_MARGIN_SECONDS = 10;
export const refreshMargin = (lifetime: number | undefined) => Math.min(REFRESH_MARGIN_SECONDS, Math.floor((lifetime ?? Infinity) / 4));

/** An event the client records about itself (role "client"), under its run's correlation id. */
export type ClientEvent = {
  step: number;
  name: string;
  outcome: "ok" | "error";
  http?: HttpExchange;
  detail?: Record<string, unknown>;
};

export type RefreshDeps = {
  issuer: string;
  client: ClientCredentials;
  /** Seconds since the epoch. */
  now: number;
  record: (correlationId: string | undefined, event: ClientEvent) => Promise<void>;
  fetch?: Fetch;
};

/** Whether the session's access token must be refreshed before it is used. */
export function needsRefresh(token: JWT, now: number): boolean {
  return !token.error && typeof token.expires_at === "number" && token.expires_at - refreshMargin(token.expires_in) <= now;
}

/**
 * One refresh per refresh token at a time in this process, and its outcome kept for a short while:
 * two requests of one browser that both carry the old session cookie (two tabs, a double click) get
 * the same rotated tokens instead of presenting the old refresh token twice, which the authorization
 * server rightly treats as reuse and answers by revoking the whole family (RFC 9700 §4.14.2).
 */
const SHARE_RESULT_MS = 30_000;
const inFlight = new Map<string, { at: number; result: Promise<JWT> }>();

/**
 * The jwt callback's refresh (RFC 6749 §6), with rotation: the new refresh token replaces the old
 * one. On invalid_grant (expired, revoked, or reused) the tokens are dropped and the session is marked
 * as needing a new sign-in; on any other failure (the server unreachable, say) the token is left as it
 * was, with the reason, so the next request can try again.
 */
export function refreshIfExpiring(token: JWT, deps: RefreshDeps): Promise<JWT> {
  if (!needsRefresh(token, deps.now)) return Promise.resolve(token);
  const refreshToken = token.refresh_token;
  if (!refreshToken) {
    return Promise.resolve(
      signInAgain(token, "The access token has expired and this session has no refresh token (offline_access was not granted)."),
    );
  }
  const key = createHash("sha256").update(refreshToken).digest("base64url");
  const now = Date.now();
  for (const [k, v] of inFlight) if (now - v.at > SHARE_RESULT_MS) inFlight.delete(k);
  const shared = inFlight.get(key);
  if (shared) return shared.result.then((result) => ({ ...token, ...pickTokens(result) }));
  const result = refresh(token, refreshToken, deps);
  inFlight.set(key, { at: now, result });
  // A transient failure is not shared: the next request tries again.
  void result.then((t) => {
    if (t.refresh_failure) inFlight.delete(key);
  });
  return result;
}

const TOKEN_FIELDS = [
  "access_token",
  "refresh_token",
  "expires_at",
  "expires_in",
  "scope",
  "error",
  "error_description",
  "refresh_failure",
] as const;
const pickTokens = (token: JWT): Partial<JWT> => Object.fromEntries(TOKEN_FIELDS.map((k) => [k, token[k]]));

async function refresh(token: JWT, refreshToken: string, deps: RefreshDeps): Promise<JWT> {
  const { issuer, client, now, record } = deps;
  let tokenEndpoint = `${issuer} token endpoint`;
  try {
    const metadata = await discover(issuer, deps.fetch);
    tokenEndpoint = metadata.token_endpoint;
    const tokens = await refreshTokenGrant(metadata, client, refreshToken, deps.fetch);
    await record(token.correlationId, {
      step: 7,
      name: "Client refreshed the access token",
      outcome: "ok",
      http: {
        request: {
          method: "POST",
          url: tokenEndpoint,
          headers: { authorization: "Basic (client_secret_basic)" },
          body: { grant_type: "refresh_token", refresh_token: refreshToken },
        },
        response: { status: 200, body: { ...tokens, token_type: "Bearer" } },
      },
      detail: { rotated: tokens.refresh_token !== undefined && tokens.refresh_token !== refreshToken, expires_in: tokens.expires_in },
    });
    return {
      ...token,
      access_token: tokens.access_token,
      // RFC 6749 §6: a new refresh token replaces the old one; without one, the old one stays valid.
      refresh_token: tokens.refresh_token ?? refreshToken,
      expires_at: now + tokens.expires_in,
      expires_in: tokens.expires_in,
      scope: tokens.scope ?? token.scope,
      refresh_failure: undefined,
    };
  } catch (error) {
    const refused = error instanceof TokenEndpointError && error.code === "invalid_grant";
    const message = error instanceof Error ? error.message : String(error);
    await record(token.correlationId, {
      step: 7,
      outcome: "error",
      name: refused
        ? "Client's refresh was refused (invalid_grant): the user must sign in again"
        : "Client could not refresh the access token",
      http: {
        request: { method: "POST", url: tokenEndpoint, body: { grant_type: "refresh_token", refresh_token: refreshToken } },
        ...(error instanceof TokenEndpointError ? { response: { status: error.status, body: { error: error.code } } } : {}),
      },
      detail: { reason: message },
    });
    if (refused) return signInAgain(token, `The authorization server refused the refresh token (${message}).`);
    return { ...token, refresh_failure: message };
  }
}

/** The session stays (so the page can say why), but without tokens: only a new sign-in helps. */
function signInAgain(token: JWT, description: string): JWT {
  return {
    ...token,
    access_token: undefined,
    refresh_token: undefined,
    expires_at: undefined,
    expires_in: undefined,
    error: "RefreshTokenError",
    error_description: description,
  };
}
