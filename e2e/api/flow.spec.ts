import { createRemoteJWKSet, jwtVerify } from "jose";
import * as oauth from "oauth4webapi";
import { authorize, expect, obtainTokens, test } from "../support/fixtures";
import { interactionOf, locationOf, runFrontChannel, signIn, UserAgent } from "../support/flow";
import {
  ALL_CLIENT_IDS,
  authorizationError,
  authorizationRequest,
  Backchannel,
  demoClient,
  FULL_SCOPE,
  httpOptions,
  introspect,
  oauthError,
  USERS,
} from "../support/oauth";

/**
 * The authorization code grant end to end, with oauth4webapi as the client: discovery, PKCE S256,
 * state and nonce, sign-in and consent, the validated callback (RFC 9207 iss), the code exchange with a
 * validated ID token, UserInfo, refresh-token rotation, introspection and revocation.
 */

for (const clientId of ALL_CLIENT_IDS) {
  test(`${clientId}: the whole flow with a standard client`, async ({ as, issuer }) => {
    expect(as.issuer).toBe(issuer);
    const client = demoClient(clientId, issuer);
    const agent = new UserAgent(issuer);
    // Consent is remembered per user and client in the shared database; prompt=consent makes this test
    // see the consent page whatever other tests granted before.
    const pending = await authorizationRequest(as, client, { extra: { prompt: "consent" } });
    expect(pending.url.searchParams.get("code_challenge_method")).toBe("S256");

    // Steps 1-3: front channel.
    const front = await runFrontChannel(agent, pending.url, pending.redirectUri, { user: USERS.alice });
    expect(front.steps).toEqual(["login", "consent"]);
    expect(agent.cookie("authcode_session"), "the login set the session cookie").toBeTruthy();
    expect(front.callback.searchParams.get("iss")).toBe(issuer);
    const backchannel = new Backchannel(as, client);
    const params = backchannel.callback(front.callback, pending.state);
    expect(params.get("code")).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Steps 4-5: the code exchange; oauth4webapi validates the ID token's claims, nonce and at_hash.
    const tokens = await backchannel.exchange(params, pending);
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(tokens.scope).toBe(FULL_SCOPE);
    expect(tokens.expires_in).toBeGreaterThan(0);
    expect(tokens.refresh_token).toBeTruthy();
    const idClaims = oauth.getValidatedIdTokenClaims(tokens)!;
    expect(idClaims).toMatchObject({ iss: issuer, aud: clientId, nonce: pending.nonce, azp: clientId });
    expect(typeof idClaims.auth_time).toBe("number");
    const sub = idClaims.sub;

    // The ID token's signature, which a client may skip over TLS (OIDC Core §3.1.3.7), is checked against the JWKS.
    const jwks = createRemoteJWKSet(new URL(as.jwks_uri!));
    const { protectedHeader } = await jwtVerify(tokens.id_token!, jwks, { issuer, audience: clientId, algorithms: ["ES256"] });
    expect(protectedHeader.kid).toBeTruthy();

    // The access token is an RFC 9068 JWT that a resource server can validate.
    const atClaims = await oauth.validateJwtAccessToken(
      as,
      new Request(`${issuer}/api/me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } }),
      `${issuer}/api`,
      httpOptions(),
    );
    expect(atClaims).toMatchObject({ sub, client_id: clientId, scope: FULL_SCOPE, iss: issuer });

    // Step 6-7: UserInfo (OIDC Core §5.3); oauth4webapi checks that sub matches the ID token.
    const userinfo = await backchannel.userinfo(tokens.access_token, sub);
    expect(userinfo).toMatchObject({
      sub,
      name: USERS.alice.name,
      preferred_username: "alice",
      email: USERS.alice.email,
      email_verified: true,
    });

    // RFC 7662: the access token is active.
    const active = await introspect(as, tokens.access_token);
    expect(active).toMatchObject({ active: true, scope: FULL_SCOPE, client_id: clientId, sub, iss: issuer });

    // RFC 6749 §6 and RFC 9700 §4.14.2: refresh rotates the refresh token.
    const refreshed = await backchannel.refresh(tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.scope).toBe(FULL_SCOPE);
    expect(oauth.getValidatedIdTokenClaims(refreshed)?.sub ?? sub).toBe(sub);
    expect(await introspect(as, refreshed.access_token)).toMatchObject({ active: true, client_id: clientId, sub });
    expect(await introspect(as, refreshed.refresh_token!)).toMatchObject({ active: true, client_id: clientId, sub });
    // The rotated-out refresh token is no longer active.
    expect(await introspect(as, tokens.refresh_token!)).toEqual({ active: false });

    // RFC 7009: revoking an access token ends it alone.
    await backchannel.revoke(tokens.access_token, "access_token");
    expect(await introspect(as, tokens.access_token)).toEqual({ active: false });
    expect(await introspect(as, refreshed.access_token)).toMatchObject({ active: true });

    // RFC 7009 §2.1: revoking the refresh token ends the grant, its access tokens included.
    await backchannel.revoke(refreshed.refresh_token!, "refresh_token");
    expect(await introspect(as, refreshed.refresh_token!)).toEqual({ active: false });
    expect(await introspect(as, refreshed.access_token)).toEqual({ active: false });
    const userinfoAfter = await backchannel.userinfoRaw(refreshed.access_token);
    expect(userinfoAfter.status).toBe(401);

    // Neither refresh token of the family works any more.
    expect(await oauthError(backchannel.refresh(tokens.refresh_token!))).toMatchObject({ error: "invalid_grant", status: 400 });
    expect(await oauthError(backchannel.refresh(refreshed.refresh_token!))).toMatchObject({ error: "invalid_grant", status: 400 });
  });
}

test("refresh: the old refresh token fails with invalid_grant once rotated", async ({ as }) => {
  const { backchannel, tokens } = await obtainTokens(as, "walkthrough");
  const rotated = await backchannel.refresh(tokens.refresh_token!);
  expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
  expect(await oauthError(backchannel.refresh(tokens.refresh_token!))).toMatchObject({ error: "invalid_grant", status: 400 });
});

test("a second authorization with the session cookie skips login and consent", async ({ as }) => {
  const first = await obtainTokens(as, "nextauth-demo");
  expect(first.steps[0]).toBe("login");

  const again = await authorizationRequest(as, first.client);
  const response = await first.agent.get(again.url);
  expect(response.status).toBe(302);
  const callback = locationOf(response, as.issuer);
  expect(`${callback.origin}${callback.pathname}`).toBe(again.redirectUri);
  const params = first.backchannel.callback(callback, again.state);
  const tokens = await first.backchannel.exchange(params, again);
  expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe(oauth.getValidatedIdTokenClaims(first.tokens)?.sub);
});

test("prompt=login asks a signed-in user to sign in again", async ({ as }) => {
  const first = await obtainTokens(as, "walkthrough");
  const firstSession = first.agent.cookie("authcode_session");
  const again = await authorizationRequest(as, first.client, { extra: { prompt: "login" } });
  const response = await first.agent.get(again.url);
  expect(response.status).toBe(302);
  const login = locationOf(response, as.issuer);
  expect(login.pathname).toBe("/login");
  expect(interactionOf(login)).toMatch(/^[A-Za-z0-9_-]{22}$/);

  // Consent was given by the first authorization, so signing in goes straight back to the client.
  const callback = await signIn(first.agent, login, USERS.alice);
  expect(`${callback.origin}${callback.pathname}`).toBe(again.redirectUri);
  expect(first.agent.cookie("authcode_session"), "a new session").not.toBe(firstSession);
  const tokens = await first.backchannel.exchange(first.backchannel.callback(callback, again.state), again);
  const authTime = (t: typeof tokens) => oauth.getValidatedIdTokenClaims(t)!.auth_time!;
  expect(authTime(tokens)).toBeGreaterThanOrEqual(authTime(first.tokens));
});

test("prompt=none without a session: the client gets login_required, with state and iss", async ({ as, issuer }) => {
  const client = demoClient("walkthrough", issuer);
  const pending = await authorizationRequest(as, client, { extra: { prompt: "none" } });
  const response = await new UserAgent(issuer).get(pending.url);
  expect(response.status).toBe(302);
  const callback = locationOf(response, issuer);
  expect(`${callback.origin}${callback.pathname}`).toBe(pending.redirectUri);
  expect(callback.searchParams.get("state")).toBe(pending.state);
  expect(callback.searchParams.get("iss")).toBe(issuer);
  expect(callback.searchParams.has("code")).toBe(false);
  expect(authorizationError(as, client, callback, pending.state).error).toBe("login_required");
});

test("prompt=none with a session and consent returns a code without any page", async ({ as }) => {
  const first = await authorize(as, "public-demo");
  const again = await authorizationRequest(as, first.client, { extra: { prompt: "none" } });
  const { callback, steps } = await runFrontChannel(first.agent, again.url, again.redirectUri);
  expect(steps).toEqual([]);
  const tokens = await first.backchannel.exchange(first.backchannel.callback(callback, again.state), again);
  expect(tokens.access_token).toBeTruthy();
});
