import { expect } from "@playwright/test";
import * as oauth from "oauth4webapi";

/**
 * The client side of the tests: oauth4webapi, a strict standard client, configured for the demo
 * clients. Everything it validates (issuer, state, iss, nonce, at_hash, token response shape) is
 * validated for real; the only relaxation is plain http to localhost.
 */

export type DemoClientId = "walkthrough" | "nextauth-demo" | "public-demo";

export type DemoClient = {
  id: DemoClientId;
  client: oauth.Client;
  auth: oauth.ClientAuth;
  /** The first registered redirect URI. */
  redirectUri: string;
};

export const SECRETS = { walkthrough: "walkthrough-demo-secret", "nextauth-demo": "nextauth-demo-secret" } as const;

export function demoClient(id: DemoClientId, issuer: string): DemoClient {
  switch (id) {
    case "walkthrough":
      return {
        id,
        client: { client_id: id },
        auth: oauth.ClientSecretPost(SECRETS.walkthrough),
        redirectUri: `${issuer}/walkthrough/callback`,
      };
    case "nextauth-demo":
      return {
        id,
        client: { client_id: id },
        auth: oauth.ClientSecretBasic(SECRETS["nextauth-demo"]),
        redirectUri: `${issuer}/api/auth/callback/authcode-lab`,
      };
    case "public-demo":
      return {
        id,
        client: { client_id: id, token_endpoint_auth_method: "none" },
        auth: oauth.None(),
        redirectUri: `${issuer}/walkthrough/callback`,
      };
  }
}

export const ALL_CLIENT_IDS: DemoClientId[] = ["walkthrough", "nextauth-demo", "public-demo"];

export const USERS = {
  alice: { username: "alice", password: "alice-demo-password", name: "Alice Example", email: "alice@example.com" },
  bob: { username: "bob", password: "bob-demo-password", name: "Bob Example", email: "bob@example.com" },
} as const;
export type DemoUser = (typeof USERS)[keyof typeof USERS];

export const FULL_SCOPE = "openid profile email offline_access notes:read";

/** RFC 6749 §5.1 and §5.2: every token endpoint response, success or error, must not be cached. */
export function expectNoStore(response: Response, what = "token endpoint response") {
  expect(response.headers.get("cache-control") ?? "", `${what} ${response.status} must carry Cache-Control: no-store`).toMatch(
    /\bno-store\b/,
  );
}

/**
 * Options for every oauth4webapi request: http to localhost is allowed, and every response of the
 * token endpoint is checked for Cache-Control: no-store on the way through.
 */
export function httpOptions(tokenEndpoint?: string) {
  return {
    [oauth.allowInsecureRequests]: true,
    [oauth.customFetch]: async (url: string, init: RequestInit) => {
      const response = await fetch(url, init);
      if (tokenEndpoint && url === tokenEndpoint) expectNoStore(response);
      return response;
    },
  } as const;
}

export async function discover(issuer: string): Promise<oauth.AuthorizationServer> {
  const issuerUrl = new URL(issuer);
  const response = await oauth.discoveryRequest(issuerUrl, { algorithm: "oidc", ...httpOptions() });
  return oauth.processDiscoveryResponse(issuerUrl, response);
}

/** An authorization request with PKCE S256, state and nonce, and what the client keeps to finish it. */
export type PendingAuthorization = {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
};

export async function authorizationRequest(
  as: oauth.AuthorizationServer,
  client: DemoClient,
  options: { scope?: string; redirectUri?: string; extra?: Record<string, string> } = {},
): Promise<PendingAuthorization> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const redirectUri = options.redirectUri ?? client.redirectUri;
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: client.client.client_id,
    redirect_uri: redirectUri,
    scope: options.scope ?? FULL_SCOPE,
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    ...options.extra,
  }).toString();
  return { url, state, nonce, codeVerifier, redirectUri };
}

/** The client's back channel, one call per protocol operation. */
export class Backchannel {
  private readonly options: ReturnType<typeof httpOptions>;
  constructor(
    readonly as: oauth.AuthorizationServer,
    readonly client: DemoClient,
  ) {
    this.options = httpOptions(as.token_endpoint);
  }

  /** Validates the callback (state, iss; RFC 9207) and returns its parameters. */
  callback(callbackUrl: URL, state: string): URLSearchParams {
    return oauth.validateAuthResponse(this.as, this.client.client, callbackUrl, state);
  }

  exchangeRaw(params: URLSearchParams, redirectUri: string, codeVerifier: string | typeof oauth.nopkce): Promise<Response> {
    return oauth.authorizationCodeGrantRequest(
      this.as,
      this.client.client,
      this.client.auth,
      params,
      redirectUri,
      codeVerifier,
      this.options,
    );
  }

  /** Code exchange; the ID token is validated (iss, aud, azp, exp, iat, nonce, at_hash) by oauth4webapi. */
  async exchange(params: URLSearchParams, pending: Pick<PendingAuthorization, "redirectUri" | "codeVerifier" | "nonce">) {
    const response = await this.exchangeRaw(params, pending.redirectUri, pending.codeVerifier);
    return oauth.processAuthorizationCodeResponse(this.as, this.client.client, response, {
      expectedNonce: pending.nonce,
      requireIdToken: true,
    });
  }

  refreshRaw(refreshToken: string): Promise<Response> {
    return oauth.refreshTokenGrantRequest(this.as, this.client.client, this.client.auth, refreshToken, this.options);
  }

  async refresh(refreshToken: string) {
    return oauth.processRefreshTokenResponse(this.as, this.client.client, await this.refreshRaw(refreshToken));
  }

  userinfoRaw(accessToken: string): Promise<Response> {
    return oauth.userInfoRequest(this.as, this.client.client, accessToken, this.options);
  }

  async userinfo(accessToken: string, sub: string) {
    return oauth.processUserInfoResponse(this.as, this.client.client, sub, await this.userinfoRaw(accessToken));
  }

  async revoke(token: string, hint?: "access_token" | "refresh_token") {
    const response = await oauth.revocationRequest(this.as, this.client.client, this.client.auth, token, {
      ...this.options,
      ...(hint ? { additionalParameters: { token_type_hint: hint } } : {}),
    });
    return oauth.processRevocationResponse(response);
  }
}

/**
 * Introspection (RFC 7662) is for confidential clients and resource servers; the tests introspect as
 * the `walkthrough` client, whatever client the token was issued to.
 */
/**
 * Introspection as the protected resource (`resource-server`), which may introspect any client's tokens
 * on the servers the suites start (INTROSPECTION_CLIENTS and RS_CLIENT_SECRET in playwright.config.ts).
 */
export async function introspect(as: oauth.AuthorizationServer, token: string) {
  const introspector: oauth.Client = { client_id: "resource-server" };
  const auth = oauth.ClientSecretBasic(process.env.RS_CLIENT_SECRET ?? "resource-server-demo-secret");
  const response = await oauth.introspectionRequest(as, introspector, auth, token, httpOptions());
  return oauth.processIntrospectionResponse(as, introspector, response);
}

/**
 * Awaits an oauth4webapi call that must fail with an OAuth error response, and returns the error
 * code, the HTTP status and the raw response. A 401 with a WWW-Authenticate challenge is rejected by
 * oauth4webapi before it reads the body, so the body is read here.
 */
export async function oauthError(
  promise: Promise<unknown>,
): Promise<{ error: string; status: number; response: Response; challenges?: oauth.WWWAuthenticateChallenge[] }> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof oauth.ResponseBodyError) return { error: e.error, status: e.status, response: e.response };
    if (e instanceof oauth.WWWAuthenticateChallengeError) {
      const body = (await e.response.json()) as { error?: string };
      return {
        error: body.error ?? e.cause.find((c) => c.parameters.error)?.parameters.error ?? "",
        status: e.status,
        response: e.response,
        challenges: e.cause,
      };
    }
    throw e;
  }
  throw new Error("Expected an OAuth error response, but the request succeeded.");
}

/** The error of an authorization response, after oauth4webapi checked its state and iss (RFC 9207). */
export function authorizationError(
  as: oauth.AuthorizationServer,
  client: DemoClient,
  callbackUrl: URL,
  state: string,
): { error: string; description?: string } {
  try {
    oauth.validateAuthResponse(as, client.client, callbackUrl, state);
  } catch (e) {
    if (e instanceof oauth.AuthorizationResponseError) return { error: e.error, description: e.error_description };
    throw e;
  }
  throw new Error(`Expected an authorization error response, got ${callbackUrl.href}`);
}

/** A pushed authorization request and what the client keeps to finish it (RFC 9126). */
export type Pushed = PendingAuthorization & { requestUri: string; expiresIn: number };

/**
 * RFC 9126 §2: pushes an authorization request (PKCE S256, state, nonce) with oauth4webapi, with a
 * DPoP proof when given a handle (RFC 9449 §10.1), and builds the short link: client_id and request_uri.
 */
export async function pushAuthorizationRequest(
  as: oauth.AuthorizationServer,
  client: DemoClient,
  options: { extra?: Record<string, string>; dpop?: oauth.DPoPHandle } = {},
): Promise<Pushed> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const params = new URLSearchParams({
    response_type: "code",
    redirect_uri: client.redirectUri,
    scope: FULL_SCOPE,
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    ...options.extra,
  });
  const response = await oauth.pushedAuthorizationRequest(as, client.client, client.auth, params, {
    ...httpOptions(),
    ...(options.dpop ? { DPoP: options.dpop } : {}),
  });
  expectNoStore(response, "the pushed authorization response");
  const { request_uri, expires_in } = await oauth.processPushedAuthorizationResponse(as, client.client, response);
  expect(response.status).toBe(201);
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({ client_id: client.client.client_id, request_uri }).toString();
  return { requestUri: request_uri, expiresIn: expires_in, url, state, nonce, codeVerifier, redirectUri: client.redirectUri };
}

/** Runs one request (and its processing) again when the server asked for its nonce; says how often it asked. */
export async function withNonce<T>(run: () => Promise<T>): Promise<{ result: T; nonceAsked: number }> {
  let nonceAsked = 0;
  for (;;) {
    try {
      return { result: await run(), nonceAsked };
    } catch (error) {
      if (!oauth.isDPoPNonceError(error) || nonceAsked > 1) throw error;
      nonceAsked++;
    }
  }
}
