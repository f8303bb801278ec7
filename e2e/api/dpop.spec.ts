import { calculateJwkThumbprint, decodeJwt, exportJWK, SignJWT } from "jose";
import { createHash, randomUUID } from "node:crypto";
import * as oauth from "oauth4webapi";
import { authorize, dpopKeyPair, exchangeWithDpop, expect, test } from "../support/fixtures";
import { runFrontChannel, UserAgent } from "../support/flow";
import {
  authorizationRequest,
  Backchannel,
  demoClient,
  expectNoStore,
  FULL_SCOPE,
  httpOptions,
  introspect,
  oauthError,
  pushAuthorizationRequest,
  USERS,
  withNonce,
  type DemoClient,
  type DemoClientId,
} from "../support/oauth";

/**
 * RFC 9449 DPoP against the real server, with oauth4webapi's DPoP handle as the client: the token
 * endpoint binds the access token (token_type DPoP, cnf.jkt) and a public client's refresh token to the
 * client's key, the API and UserInfo take the token only with a fresh proof of that key, and both ask
 * for the server's nonce first (use_dpop_nonce, which the client answers by retrying). Then every
 * refusal, most with proofs made by hand with jose so that one claim at a time is wrong.
 */

const thumbprint = async (keys: CryptoKeyPair) => calculateJwkThumbprint(await exportJWK(keys.publicKey), "sha256");

/** The oauth4webapi options of a DPoP request. */
const dpopOptions = (as: oauth.AuthorizationServer, handle: oauth.DPoPHandle) => ({ ...httpOptions(as.token_endpoint), DPoP: handle });

/** Front channel, then the code exchange with a DPoP proof of `keys` (retrying for the nonce). */
async function dpopTokens(
  as: oauth.AuthorizationServer,
  clientId: DemoClientId,
  keys: CryptoKeyPair,
  options: { extra?: Record<string, string>; client?: DemoClient } = {},
) {
  const flow = options.client
    ? await authorizeClient(as, options.client, options.extra)
    : await authorize(as, clientId, { extra: options.extra, scope: FULL_SCOPE });
  return { ...flow, ...(await exchangeWithDpop(as, flow, keys, { requireIdToken: true })) };
}

async function authorizeClient(as: oauth.AuthorizationServer, client: DemoClient, extra?: Record<string, string>) {
  const agent = new UserAgent(as.issuer);
  const pending = await authorizationRequest(as, client, { scope: "openid offline_access notes:read", extra });
  const front = await runFrontChannel(agent, pending.url, pending.redirectUri, { user: USERS.alice });
  return { client, agent, pending, backchannel: new Backchannel(as, client), ...front };
}

const refreshWith = (as: oauth.AuthorizationServer, client: DemoClient, refreshToken: string, handle?: oauth.DPoPHandle) =>
  withNonce(async () =>
    oauth.processRefreshTokenResponse(
      as,
      client.client,
      await oauth.refreshTokenGrantRequest(
        as,
        client.client,
        client.auth,
        refreshToken,
        handle ? dpopOptions(as, handle) : httpOptions(as.token_endpoint),
      ),
    ),
  );

const callApi = (issuer: string, accessToken: string, handle: oauth.DPoPHandle, path = "/api/me") =>
  // oauth4webapi raises a challenge (use_dpop_nonce) as an error, and keeps the nonce for the retry.
  withNonce(() =>
    oauth.protectedResourceRequest(accessToken, "GET", new URL(`${issuer}${path}`), undefined, undefined, {
      DPoP: handle,
      [oauth.allowInsecureRequests]: true,
    }),
  );

/** A DPoP proof made by hand (RFC 9449 §4.2), to get one claim wrong at a time. */
async function handProof(
  keys: CryptoKeyPair,
  claims: { htm: string; htu: string; nonce?: string; ath?: string; iat?: number; jti?: string },
  typ = "dpop+jwt",
): Promise<string> {
  return new SignJWT({ iat: Math.floor(Date.now() / 1000), jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg: "ES256", typ, jwk: await exportJWK(keys.publicKey) })
    .sign(keys.privateKey);
}

const ath = (token: string) => createHash("sha256").update(token).digest("base64url");

/** The server's current nonce: what a proof without one is answered with (RFC 9449 §8). */
async function serverNonce(issuer: string): Promise<string> {
  const response = await fetch(`${issuer}/oauth/token`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      DPoP: await handProof(await dpopKeyPair(), { htm: "POST", htu: `${issuer}/oauth/token` }),
    },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: "unknown", client_id: "public-demo" }),
  });
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ error: "use_dpop_nonce" });
  return response.headers.get("dpop-nonce")!;
}

/** A refresh at the token endpoint with a DPoP header made by hand (public-demo: no client secret). */
const rawRefresh = (issuer: string, refreshToken: string, dpop?: string) =>
  fetch(`${issuer}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(dpop ? { DPoP: dpop } : {}) },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: "public-demo" }),
  });

const rawApi = (issuer: string, headers: Record<string, string>, path = "/api/me") => fetch(`${issuer}${path}`, { headers });

/** The WWW-Authenticate of a refused API call: the DPoP scheme with the error code and the algorithms (RFC 9449 §7.1). */
function expectDpopChallenge(response: Response, error: string) {
  expect(response.status).toBe(401);
  const challenge = response.headers.get("www-authenticate") ?? "";
  expect(challenge).toMatch(new RegExp(`^DPoP realm="[^"]+", error="${error}", error_description="[^"]+", algs="ES256"$`));
}

test("metadata lists the DPoP proof algorithm (RFC 9449 §5.1)", async ({ as }) => {
  expect(as.dpop_signing_alg_values_supported).toEqual(["ES256"]);
});

test("a public client's DPoP flow: nonce, bound code (dpop_jkt), DPoP tokens, API and UserInfo, refresh with the same key", async ({
  as,
  issuer,
}) => {
  const keys = await dpopKeyPair();
  const jkt = await thumbprint(keys);
  const flow = await dpopTokens(as, "public-demo", keys, { extra: { dpop_jkt: jkt, prompt: "consent" } });
  expect(flow.nonceAsked, "the first proof had no nonce: use_dpop_nonce, then the retry").toBe(1);
  expect(flow.tokens.token_type.toLowerCase()).toBe("dpop");
  const claims = decodeJwt(flow.tokens.access_token);
  expect(claims.cnf).toEqual({ jkt });
  expect(await introspect(as, flow.tokens.access_token)).toMatchObject({ active: true, token_type: "DPoP", cnf: { jkt } });

  // The API: the nonce is the one the token endpoint gave (one server, one nonce): no retry.
  const api = await callApi(issuer, flow.tokens.access_token, flow.handle);
  expect(api.nonceAsked).toBe(0);
  expect(api.result.status).toBe(200);
  expect(api.result.headers.get("dpop-nonce")).toBeTruthy();
  expect(await api.result.json()).toMatchObject({ preferred_username: "alice" });

  // UserInfo takes the DPoP-bound token the same way.
  const sub = oauth.getValidatedIdTokenClaims(flow.tokens)!.sub;
  const userinfo = await withNonce(async () =>
    oauth.processUserInfoResponse(
      as,
      flow.client.client,
      sub,
      await oauth.userInfoRequest(as, flow.client.client, flow.tokens.access_token, dpopOptions(as, flow.handle)),
    ),
  );
  expect(userinfo.result).toMatchObject({ sub });

  // The refresh with the same key: a new DPoP token, still bound.
  const refreshed = await refreshWith(as, flow.client, flow.tokens.refresh_token!, flow.handle);
  expect(refreshed.result.token_type.toLowerCase()).toBe("dpop");
  expect(decodeJwt(refreshed.result.access_token).cnf).toEqual({ jkt });
  // ...and once more: the binding stays with the family.
  const again = await refreshWith(as, flow.client, refreshed.result.refresh_token!, flow.handle);
  expect(decodeJwt(again.result.access_token).cnf).toEqual({ jkt });
});

test("a plain Bearer flow still works beside DPoP: no proof, token_type Bearer, no cnf", async ({ as, issuer }) => {
  const flow = await authorize(as, "public-demo");
  const tokens = await flow.backchannel.exchange(flow.backchannel.callback(flow.callback, flow.pending.state), flow.pending);
  expect(tokens.token_type.toLowerCase()).toBe("bearer");
  expect(decodeJwt(tokens.access_token).cnf).toBeUndefined();
  expect((await rawApi(issuer, { Authorization: `Bearer ${tokens.access_token}` })).status).toBe(200);
  // A DPoP scheme for a bearer token is refused: it is not bound to any key.
  const asDpop = await rawApi(issuer, { Authorization: `DPoP ${tokens.access_token}` });
  expectDpopChallenge(asDpop, "invalid_token");
});

test("a confidential client's refresh token is not bound (RFC 9449 §5): it refreshes without a proof, as Bearer", async ({ as }) => {
  const keys = await dpopKeyPair();
  const flow = await dpopTokens(as, "walkthrough", keys);
  expect(flow.tokens.token_type.toLowerCase()).toBe("dpop");
  const refreshed = await refreshWith(as, flow.client, flow.tokens.refresh_token!);
  expect(refreshed.result.token_type.toLowerCase()).toBe("bearer");
  expect(decodeJwt(refreshed.result.access_token).cnf).toBeUndefined();
});

test.describe("refusals at the token endpoint", () => {
  test("a public client's bound refresh token: another key or no proof is invalid_grant, and burns nothing", async ({ as, issuer }) => {
    const keys = await dpopKeyPair();
    const flow = await dpopTokens(as, "public-demo", keys);
    const thief = oauth.DPoP(flow.client.client, await dpopKeyPair());
    const stolen = await oauthError(refreshWith(as, flow.client, flow.tokens.refresh_token!, thief));
    expect(stolen).toMatchObject({ error: "invalid_grant", status: 400 });
    expectNoStore(stolen.response);
    const noProof = await rawRefresh(issuer, flow.tokens.refresh_token!);
    expect(noProof.status).toBe(400);
    expect(await noProof.json()).toMatchObject({ error: "invalid_grant" });
    // The rightful holder's refresh still works: neither attempt rotated or revoked the token.
    const refreshed = await refreshWith(as, flow.client, flow.tokens.refresh_token!, flow.handle);
    expect(refreshed.result.token_type.toLowerCase()).toBe("dpop");
  });

  test("a code bound with dpop_jkt is refused with another key's proof", async ({ as }) => {
    const keys = await dpopKeyPair();
    const other = await dpopKeyPair();
    const error = await dpopTokens(as, "public-demo", other, { extra: { dpop_jkt: await thumbprint(keys) } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(oauth.ResponseBodyError);
    expect(error).toMatchObject({ error: "invalid_grant", status: 400, error_description: expect.stringMatching(/dpop_jkt/) });
  });

  test("a malformed dpop_jkt is refused at the authorization endpoint", async ({ as }) => {
    const client = demoClient("public-demo", as.issuer);
    const pending = await authorizationRequest(as, client, { extra: { dpop_jkt: "not-a-thumbprint" } });
    const response = await new UserAgent(as.issuer).get(pending.url);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location")!);
    expect(location.searchParams.get("error")).toBe("invalid_request");
  });

  test("a client registered with dpop_bound_access_tokens must send a proof", async ({ as, issuer }) => {
    const redirectUri = `${issuer}/walkthrough/callback`;
    const registration = await fetch(`${issuer}/oauth/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        client_name: "DPoP-bound app",
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: "none",
        dpop_bound_access_tokens: true,
      }),
    });
    expect(registration.status).toBe(201);
    const info = (await registration.json()) as { client_id: string; dpop_bound_access_tokens: boolean };
    expect(info.dpop_bound_access_tokens).toBe(true);
    const client: DemoClient = {
      id: info.client_id as DemoClientId,
      client: { client_id: info.client_id, token_endpoint_auth_method: "none" },
      auth: oauth.None(),
      redirectUri,
    };

    // Without a proof: refused, and the code is not spent.
    const flow = await authorizeClient(as, client);
    const params = flow.backchannel.callback(flow.callback, flow.pending.state);
    const refused = await oauthError(flow.backchannel.exchange(params, flow.pending));
    expect(refused).toMatchObject({ error: "invalid_dpop_proof", status: 400 });
    expectNoStore(refused.response);
    // With one: a DPoP token.
    const handle = oauth.DPoP(client.client, await dpopKeyPair());
    const { result: tokens } = await withNonce(async () =>
      oauth.processAuthorizationCodeResponse(
        as,
        client.client,
        await oauth.authorizationCodeGrantRequest(
          as,
          client.client,
          client.auth,
          params,
          flow.pending.redirectUri,
          flow.pending.codeVerifier,
          dpopOptions(as, handle),
        ),
        { expectedNonce: flow.pending.nonce },
      ),
    );
    expect(tokens.token_type.toLowerCase()).toBe("dpop");
  });

  test("a proof replayed, or with a wrong htu, htm, typ or a stale iat, is invalid_dpop_proof, and spends nothing", async ({
    as,
    issuer,
  }) => {
    const keys = await dpopKeyPair();
    const flow = await dpopTokens(as, "public-demo", keys);
    const nonce = await serverNonce(issuer);
    const htu = `${issuer}/oauth/token`;
    const now = Math.floor(Date.now() / 1000);
    const bad: [string, string][] = [
      ["htu", await handProof(keys, { htm: "POST", htu: `${issuer}/oauth/other`, nonce })],
      ["htm", await handProof(keys, { htm: "GET", htu, nonce })],
      ["typ", await handProof(keys, { htm: "POST", htu, nonce }, "JWT")],
      ["iat", await handProof(keys, { htm: "POST", htu, nonce, iat: now - 300 })],
      ["iat", await handProof(keys, { htm: "POST", htu, nonce, iat: now + 300 })],
    ];
    for (const [claim, proof] of bad) {
      const response = await rawRefresh(issuer, flow.tokens.refresh_token!, proof);
      expect(response.status, claim).toBe(400);
      expectNoStore(response);
      const body = (await response.json()) as { error: string; error_description: string };
      expect(body, claim).toMatchObject({ error: "invalid_dpop_proof", error_description: expect.stringContaining(claim) });
    }

    // A good proof works once; sent again (with the new refresh token) it is a replay.
    const proof = await handProof(keys, { htm: "POST", htu, nonce });
    const first = await rawRefresh(issuer, flow.tokens.refresh_token!, proof);
    expect(first.status).toBe(200);
    const { refresh_token } = (await first.json()) as { refresh_token: string };
    const replay = await rawRefresh(issuer, refresh_token, proof);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: "invalid_dpop_proof", error_description: expect.stringMatching(/used before/) });
    // The refused replay did not rotate the new token: a fresh proof still refreshes with it.
    expect((await rawRefresh(issuer, refresh_token, await handProof(keys, { htm: "POST", htu, nonce }))).status).toBe(200);
  });

  test("two DPoP headers, or a stale nonce, are refused", async ({ as, issuer }) => {
    const keys = await dpopKeyPair();
    const flow = await dpopTokens(as, "public-demo", keys);
    const htu = `${issuer}/oauth/token`;
    const nonce = await serverNonce(issuer);
    const headers = new Headers({ "Content-Type": "application/x-www-form-urlencoded" });
    headers.append("DPoP", await handProof(keys, { htm: "POST", htu, nonce }));
    headers.append("DPoP", await handProof(keys, { htm: "POST", htu, nonce }));
    const twice = await fetch(htu, {
      method: "POST",
      headers,
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: flow.tokens.refresh_token!, client_id: "public-demo" }),
    });
    expect(twice.status).toBe(400);
    expect(await twice.json()).toMatchObject({ error: "invalid_dpop_proof" });

    const stale = await rawRefresh(issuer, flow.tokens.refresh_token!, await handProof(keys, { htm: "POST", htu, nonce: "stale" }));
    expect(stale.status).toBe(400);
    expect(await stale.json()).toMatchObject({ error: "use_dpop_nonce" });
    expect(stale.headers.get("dpop-nonce")).toBe(nonce);
  });
});

test.describe("refusals at the API (RFC 9449 §7)", () => {
  test("a DPoP-bound token as Bearer, without a proof, with another key's proof, a wrong ath or a replayed proof", async ({
    as,
    issuer,
  }) => {
    const keys = await dpopKeyPair();
    const flow = await dpopTokens(as, "public-demo", keys);
    const token = flow.tokens.access_token;
    const nonce = await serverNonce(issuer);
    const htu = `${issuer}/api/me`;

    // The stolen token replayed as a bearer token: refused with the DPoP challenge.
    expectDpopChallenge(await rawApi(issuer, { Authorization: `Bearer ${token}` }), "invalid_token");
    // As DPoP, without a proof.
    expectDpopChallenge(await rawApi(issuer, { Authorization: `DPoP ${token}` }), "invalid_dpop_proof");
    // With a proof by another key.
    const other = await dpopKeyPair();
    const foreign = await handProof(other, { htm: "GET", htu, nonce, ath: ath(token) });
    expectDpopChallenge(await rawApi(issuer, { Authorization: `DPoP ${token}`, DPoP: foreign }), "invalid_dpop_proof");
    // With the right key but the hash of another token.
    const wrongAth = await handProof(keys, { htm: "GET", htu, nonce, ath: ath("another token") });
    expectDpopChallenge(await rawApi(issuer, { Authorization: `DPoP ${token}`, DPoP: wrongAth }), "invalid_dpop_proof");
    // For another endpoint (htu) or method (htm).
    const otherPath = await handProof(keys, { htm: "GET", htu: `${issuer}/api/notes`, nonce, ath: ath(token) });
    expectDpopChallenge(await rawApi(issuer, { Authorization: `DPoP ${token}`, DPoP: otherPath }), "invalid_dpop_proof");
    const post = await handProof(keys, { htm: "POST", htu, nonce, ath: ath(token) });
    expectDpopChallenge(await rawApi(issuer, { Authorization: `DPoP ${token}`, DPoP: post }), "invalid_dpop_proof");
    // Without the server's nonce: use_dpop_nonce, with the nonce in DPoP-Nonce.
    const noNonce = await rawApi(issuer, {
      Authorization: `DPoP ${token}`,
      DPoP: await handProof(keys, { htm: "GET", htu, ath: ath(token) }),
    });
    expectDpopChallenge(noNonce, "use_dpop_nonce");
    expect(noNonce.headers.get("dpop-nonce")).toBe(nonce);

    // A good proof is served once; replayed, it is refused.
    const proof = await handProof(keys, { htm: "GET", htu, nonce, ath: ath(token) });
    const served = await rawApi(issuer, { Authorization: `DPoP ${token}`, DPoP: proof });
    expect(served.status).toBe(200);
    expectDpopChallenge(await rawApi(issuer, { Authorization: `DPoP ${token}`, DPoP: proof }), "invalid_dpop_proof");
  });

  test("UserInfo refuses a DPoP-bound token as Bearer", async ({ as, issuer }) => {
    const flow = await dpopTokens(as, "public-demo", await dpopKeyPair());
    const response = await fetch(`${issuer}/oauth/userinfo`, { headers: { Authorization: `Bearer ${flow.tokens.access_token}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^DPoP realm="[^"]+", error="invalid_token"/);
  });
});

test.describe("PAR and DPoP together (RFC 9126 with RFC 9449 §10.1)", () => {
  /** A push with oauth4webapi's DPoP handle (retrying for the nonce), then the short link through the browser. */
  async function pushBound(
    as: oauth.AuthorizationServer,
    client: DemoClient,
    handle: oauth.DPoPHandle,
    extra: Record<string, string> = {},
  ) {
    const { result: pushed } = await withNonce(() => pushAuthorizationRequest(as, client, { extra, dpop: handle }));
    const front = await runFrontChannel(new UserAgent(as.issuer), pushed.url, client.redirectUri, { user: USERS.alice });
    return { ...pushed, front };
  }

  test("the push's proof binds the code: the same key redeems it for DPoP tokens, the API takes them; another key cannot", async ({
    as,
    issuer,
  }) => {
    const client = demoClient("public-demo", issuer);
    const keys = await dpopKeyPair();
    const handle = oauth.DPoP(client.client, keys);
    const pushed = await pushBound(as, client, handle);
    const params = oauth.validateAuthResponse(as, client.client, pushed.front.callback, pushed.state);
    const { result: tokens } = await withNonce(async () =>
      oauth.processAuthorizationCodeResponse(
        as,
        client.client,
        await oauth.authorizationCodeGrantRequest(as, client.client, client.auth, params, client.redirectUri, pushed.codeVerifier, {
          ...dpopOptions(as, handle),
        }),
        { expectedNonce: pushed.nonce, requireIdToken: true },
      ),
    );
    expect(tokens.token_type.toLowerCase()).toBe("dpop");
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: await thumbprint(keys) });
    const { result: api } = await callApi(issuer, tokens.access_token, handle);
    expect(api.status).toBe(200);

    // Another push, its code redeemed with another key: the push bound it (dpop_jkt from the proof).
    const second = await pushBound(as, client, handle);
    const secondParams = oauth.validateAuthResponse(as, client.client, second.front.callback, second.state);
    const other = oauth.DPoP(client.client, await dpopKeyPair());
    const refused = await oauthError(
      withNonce(async () =>
        oauth.processAuthorizationCodeResponse(
          as,
          client.client,
          await oauth.authorizationCodeGrantRequest(as, client.client, client.auth, secondParams, client.redirectUri, second.codeVerifier, {
            ...dpopOptions(as, other),
          }),
        ),
      ),
    );
    expect(refused).toMatchObject({ error: "invalid_grant", status: 400 });
  });

  test("a push whose dpop_jkt names another key than its proof is refused (invalid_dpop_proof)", async ({ as, issuer }) => {
    const client = demoClient("public-demo", issuer);
    const handle = oauth.DPoP(client.client, await dpopKeyPair());
    const failed = await oauthError(pushBound(as, client, handle, { dpop_jkt: await thumbprint(await dpopKeyPair()) }));
    expect(failed).toMatchObject({ error: "invalid_dpop_proof", status: 400 });
  });
});

test("the user's grants as JSON take a DPoP-bound token only with its proof (RFC 9449 §7.1)", async ({ as, issuer }) => {
  const keys = await dpopKeyPair();
  const { tokens, handle } = await dpopTokens(as, "nextauth-demo", keys);
  const asBearer = await fetch(`${issuer}/account/grants`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
  expect(asBearer.status).toBe(401);
  expect(asBearer.headers.get("www-authenticate")).toMatch(/^DPoP .*error="invalid_token"/);
  const { result } = await withNonce(() =>
    oauth.protectedResourceRequest(tokens.access_token, "GET", new URL(`${issuer}/account/grants`), undefined, undefined, {
      DPoP: handle,
      [oauth.allowInsecureRequests]: true,
    }),
  );
  expect(result.status).toBe(200);
  expect(((await result.json()) as { grants: { clientId?: string; client_id?: string }[] }).grants.length).toBeGreaterThan(0);
});
