import "server-only";
import type { Account, NextAuthConfig, Profile, Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import type { OIDCConfig } from "next-auth/providers";
import type { Config } from "../../config";
import { getDb } from "../../db";
import { discover, revokeToken } from "./oauth";
import { refreshIfExpiring, type ClientEvent } from "./refresh";
import { fetchRun, recordClientEvent } from "./run";
import "./jwt";
import { authSecret, sessionCookieName } from "./session-cookie";

/** The provider id: it names the callback route, `/api/auth/callback/authcode-lab`, registered at the AS. */
export const PROVIDER_ID = "authcode-lab";

/** Everything the seeded `nextauth-demo` client may ask for (lib/demo.ts). */
export const SCOPE = "openid profile email offline_access notes:read notes:write";

/** The UserInfo response (OpenID Connect Core §5.1) for the scopes above. */
type UserInfo = Profile & { sub: string; name?: string; preferred_username?: string; email?: string };

/**
 * Our authorization server as a custom OpenID Connect provider, found through discovery
 * (`${issuer}/.well-known/openid-configuration`; Auth.js compares the discovered issuer exactly).
 * PKCE (S256), state and nonce are all checked; the client authenticates with client_secret_basic;
 * ID tokens must be ES256. The ID token carries no profile claims here, so `idToken: false` makes
 * Auth.js also call UserInfo (after checking that its `sub` matches the ID token's).
 */
export function authcodeLabProvider(config: Config): OIDCConfig<UserInfo> {
  return {
    id: PROVIDER_ID,
    name: "authcode-lab",
    type: "oidc",
    issuer: config.client.issuer,
    clientId: config.client.nextAuth.id,
    clientSecret: config.client.nextAuth.secret,
    checks: ["pkce", "state", "nonce"],
    client: { token_endpoint_auth_method: "client_secret_basic", id_token_signed_response_alg: "ES256" },
    authorization: { params: { scope: SCOPE } },
    idToken: false,
    profile: (profile) => ({ id: profile.sub, name: profile.name ?? profile.preferred_username ?? null, email: profile.email ?? null }),
  };
}

/**
 * The next-auth configuration of the production-style client (`/app`).
 *
 * - Session strategy "jwt": the session is an encrypted (JWE) httpOnly cookie, and the access token,
 *   refresh token and expiry live only inside it. The session callback returns name and email only,
 *   so `/api/auth/session` and `auth()` never hand a token to the browser; server code reads the
 *   tokens with `readSessionToken()` (lib/client/nextauth/session.ts).
 * - The jwt callback refreshes an expiring access token only on `update()` (trigger "update"), which
 *   the server actions call: that is where the rotated refresh token can be written back to the
 *   cookie. See refreshIfExpiring and docs/walkthrough-and-nextauth.md.
 * - Sign-out revokes the refresh token (RFC 7009) in `events.signOut`, whatever path signed out.
 */
export function nextAuthConfig(config: Config): NextAuthConfig {
  // Auth.js builds redirect_uri, cookies and redirects from AUTH_URL when it is set (otherwise from the
  // Host header): always APP_URL's, so the redirect URI is exactly the registered
  // `${APP_URL}/api/auth/callback/authcode-lab` wherever the request came in (next.config.mjs keeps a
  // 127.0.0.1 or [::1] APP_URL from being rewritten to localhost on the way).
  process.env.AUTH_URL = `${config.issuer}/api/auth`;
  const client = config.client.nextAuth;
  const record = async (correlationId: string | undefined, event: ClientEvent) =>
    recordClientEvent(await getDb(), client.id, correlationId, event);

  return {
    basePath: "/api/auth",
    secret: authSecret(config),
    trustHost: true,
    useSecureCookies: config.secureCookies,
    // Auth.js names it `__Secure-…` over https; `__Host-` also pins it to this host and Path=/.
    cookies: {
      sessionToken: {
        name: sessionCookieName(config),
        options: { httpOnly: true, sameSite: "lax", path: "/", secure: config.secureCookies },
      },
    },
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    pages: { signIn: "/app", error: "/app" },
    providers: [authcodeLabProvider(config)],
    callbacks: {
      async jwt({ token, account, profile, trigger }) {
        if (trigger === "signIn" && account) return signedIn(token, account, profile as UserInfo | undefined, config, record);
        if (trigger === "update")
          return refreshIfExpiring(token, { issuer: config.client.issuer, client, now: Math.floor(Date.now() / 1000), record });
        return token;
      },
      // Only what a page may show: no token leaves the server.
      session({ session, token }): Session {
        return { expires: session.expires, user: { name: token.name ?? null, email: token.email ?? null } };
      },
    },
    events: {
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        if (token) await revokeOnSignOut(token, config, record);
      },
    },
  };
}

/** Steps 4-5 as next-auth just did them: the token response is kept in the session cookie only. */
async function signedIn(
  token: JWT,
  account: Account,
  profile: UserInfo | undefined,
  config: Config,
  record: (id: string | undefined, e: ClientEvent) => Promise<void>,
): Promise<JWT> {
  const run = account.access_token
    ? await fetchRun(config.client.issuer, { accessToken: account.access_token })
    : { error: "no access token" };
  const correlationId = "correlationId" in run ? run.correlationId : undefined;
  const tokenEndpoint = await discover(config.client.issuer).then(
    (m) => m.token_endpoint,
    () => "token endpoint",
  );
  await record(correlationId, {
    step: 4,
    name: "next-auth exchanged the code for tokens",
    outcome: "ok",
    http: {
      request: {
        method: "POST",
        url: tokenEndpoint,
        headers: { authorization: "Basic (client_secret_basic)" },
        body: { grant_type: "authorization_code", redirect_uri: `${config.issuer}/api/auth/callback/${PROVIDER_ID}` },
      },
      response: {
        status: 200,
        body: {
          access_token: account.access_token,
          refresh_token: account.refresh_token,
          id_token: account.id_token,
          token_type: account.token_type,
          expires_in: account.expires_in,
          scope: account.scope,
        },
      },
    },
    detail: {
      checks: ["state", "iss (RFC 9207)", "PKCE code_verifier", "nonce", "ID token: ES256 signature, iss, aud, exp, at_hash"],
      userinfo: "UserInfo called for name, username and email; its sub matched the ID token's",
    },
  });
  return {
    name: token.name ?? profile?.name ?? null,
    email: token.email ?? profile?.email ?? null,
    sub: account.providerAccountId,
    subject: account.providerAccountId,
    username: profile?.preferred_username,
    access_token: account.access_token,
    refresh_token: account.refresh_token,
    expires_at: account.expires_at,
    expires_in: account.expires_in,
    scope: account.scope,
    correlationId,
  };
}

/**
 * RFC 7009: on sign-out the refresh token is revoked, which revokes its whole grant at this
 * authorization server (access tokens included). A failure is recorded, and the local session ends anyway.
 */
async function revokeOnSignOut(
  token: JWT,
  config: Config,
  record: (id: string | undefined, e: ClientEvent) => Promise<void>,
): Promise<void> {
  const [value, hint] = token.refresh_token
    ? [token.refresh_token, "refresh_token" as const]
    : token.access_token
      ? [token.access_token, "access_token" as const]
      : [];
  if (!value || !hint) return;
  const what = hint === "refresh_token" ? "refresh token" : "access token";
  let url = `${config.client.issuer} revocation endpoint`;
  try {
    const metadata = await discover(config.client.issuer);
    url = metadata.revocation_endpoint ?? url;
    const status = await revokeToken(metadata, config.client.nextAuth, value, hint);
    await record(token.correlationId, {
      step: 7,
      name: `Client revoked the ${what} on sign-out`,
      outcome: "ok",
      http: {
        request: {
          method: "POST",
          url,
          headers: { authorization: "Basic (client_secret_basic)" },
          body: { token: value, token_type_hint: hint },
        },
        response: { status },
      },
    });
  } catch (error) {
    await record(token.correlationId, {
      step: 7,
      name: `Client could not revoke the ${what} on sign-out`,
      outcome: "error",
      http: { request: { method: "POST", url, body: { token: value, token_type_hint: hint } } },
      detail: { reason: error instanceof Error ? error.message : String(error) },
    });
  }
}
