import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomToken } from "../crypto";
import { correlationIdFor, recordEvent } from "../events";
import {
  basicAuth,
  createTestDatabase,
  insertCode,
  pkcePair,
  seedClient,
  seedUser,
  testConfig,
  testContext,
  tokenRequest,
  type TestDatabase,
} from "../../test/support/db";
import { handleFlowEvents } from "./flow-events";
import { handleFlowState } from "./flow-state";
import { handleToken } from "./token-endpoint";

/**
 * A run's events and records are private to the run (issue 12, item 6): the correlation id, which the
 * browser carries, is not enough; the reader proves it belongs to the run.
 */

const ISSUER = "http://localhost:3000";
const URL_EVENTS = "http://localhost:3000/api/flow-events";
const URL_STATE = "http://localhost:3000/api/flow-state";
const REDIRECT = "https://client.example/cb";
const CLIENT = { id: "private-client", secret: "private-secret-0123456789abcdefghij" };
const OTHER = { id: "other-client", secret: "other-secret-0123456789abcdefghijkl" };

let t: TestDatabase;
let userId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  userId = (await seedUser(t.db)).id;
  await seedClient(t.db, { ...CLIENT, authMethod: "client_secret_basic", redirectUris: [REDIRECT], scopes: ["openid", "offline_access"] });
  await seedClient(t.db, { ...OTHER, authMethod: "client_secret_post", redirectUris: [REDIRECT], scopes: ["openid"] });
});
afterAll(async () => {
  await t?.close();
});

const ctx = () => testContext(t.db);
const post = (url: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  new Request(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
  });
const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> });
type Events = {
  correlationId: string;
  events: { name: string; clientId: string | null; userId: string | null; http?: { request?: { body?: Record<string, string> } } }[];
};

/** A run of CLIENT: signed in, consented, code issued and redeemed; and an event another client made with the same challenge. */
async function run(dpop?: CryptoKeyPair) {
  const { verifier, challenge } = pkcePair();
  const correlationId = correlationIdFor(challenge);
  const base = { correlationId, role: "authorization-server" as const, step: 2, clientId: CLIENT.id, userId };
  await recordEvent(t.db, {
    ...base,
    name: "User signed in",
    outcome: "ok",
    http: { request: { method: "POST", url: "http://localhost:3000/login/submit", body: { username: "alice", password: "x" } } },
  });
  await recordEvent(t.db, { ...base, step: 3, name: "Authorization response: redirect with a one-time code", outcome: "ok" });
  await recordEvent(t.db, { ...base, step: 1, clientId: OTHER.id, name: "Authorization request accepted", outcome: "ok" });
  const { code } = await insertCode(t.db, {
    clientId: CLIENT.id,
    userId,
    redirectUri: REDIRECT,
    scope: "openid offline_access",
    codeChallenge: challenge,
    expiresAt: new Date(Date.now() + 60_000),
    correlationId,
  });
  const request = tokenRequest(
    { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier },
    { authorization: basicAuth(CLIENT.id, CLIENT.secret) },
  );
  if (dpop) {
    const proof = await new SignJWT({ htm: "POST", htu: `${ISSUER}/oauth/token`, iat: Math.floor(Date.now() / 1000), jti: randomToken(12) })
      .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: await exportJWK(dpop.publicKey) })
      .sign(dpop.privateKey);
    request.headers.set("DPoP", proof);
  }
  const tokens = (await (
    await handleToken(request, dpop ? testContext(t.db, new Date(), testConfig({ DPOP_NONCE: "off" })) : ctx())
  ).json()) as { access_token: string; token_type: string };
  expect(tokens.token_type).toBe(dpop ? "DPoP" : "Bearer");
  expect(tokens.access_token).toBeDefined();
  return { verifier, correlationId, accessToken: tokens.access_token };
}

describe("reading a run needs proof that the reader belongs to it", () => {
  it("the correlation id alone is refused, on both readers: 401 invalid_client", async () => {
    const { correlationId } = await run();
    for (const request of [
      new Request(`${URL_EVENTS}?correlation=${correlationId}`),
      post(URL_EVENTS, { correlation: correlationId }),
      new Request(`${URL_STATE}?correlation=${correlationId}`),
    ]) {
      const handler = request.url.startsWith(URL_STATE) ? handleFlowState : handleFlowEvents;
      const response = await handler(request, ctx());
      expect(response.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
      const answer = await json(response);
      expect(answer).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    }
  });

  it("the run's code_verifier, in a POST body, reads the whole run; a wrong one is refused; a verifier in a URL is refused", async () => {
    const { verifier, correlationId } = await run();
    const ok = await json(await handleFlowEvents(post(URL_EVENTS, { correlation: correlationId, code_verifier: verifier }), ctx()));
    expect(ok.status).toBe(200);
    expect((ok.body as Events).events.map((e) => e.name)).toEqual(
      expect.arrayContaining(["User signed in", "Authorization response: redirect with a one-time code", "Tokens issued for the code"]),
    );
    const state = await json(await handleFlowState(post(URL_STATE, { code_verifier: verifier }), ctx()));
    expect(state).toMatchObject({ status: 200, body: { correlationId } });

    const wrong = await json(
      await handleFlowEvents(post(URL_EVENTS, { correlation: correlationId, code_verifier: pkcePair().verifier }), ctx()),
    );
    expect(wrong).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect(
      (await json(await handleFlowEvents(post(URL_EVENTS, { correlation: correlationId, code_verifier: "short" }), ctx()))).status,
    ).toBe(401);
    const inUrl = await json(
      await handleFlowEvents(new Request(`${URL_EVENTS}?correlation=${correlationId}&code_verifier=${verifier}`), ctx()),
    );
    expect(inUrl).toMatchObject({ status: 400, body: { error: "invalid_request" } });
  });

  it("the client's authentication reads only that client's part of the run; a wrong secret is refused", async () => {
    const { correlationId } = await run();
    const ok = await json(
      await handleFlowEvents(
        post(URL_EVENTS, { correlation: correlationId }, { Authorization: basicAuth(CLIENT.id, CLIENT.secret) }),
        ctx(),
      ),
    );
    expect(ok.status).toBe(200);
    const events = (ok.body as Events).events;
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.clientId === CLIENT.id)).toBe(true);

    const wrong = await handleFlowEvents(
      post(URL_EVENTS, { correlation: correlationId }, { Authorization: basicAuth(CLIENT.id, "not-the-secret") }),
      ctx(),
    );
    expect(wrong.headers.get("www-authenticate")).toContain("Basic");
    expect(await json(wrong)).toMatchObject({ status: 401, body: { error: "invalid_client" } });

    // Another client, authenticated, sees only its own event of that challenge: nothing of the user, no code, no token.
    const other = await json(
      await handleFlowEvents(post(URL_EVENTS, { correlation: correlationId, client_id: OTHER.id, client_secret: OTHER.secret }), ctx()),
    );
    expect((other.body as Events).events.map((e) => `${e.clientId} ${e.name}`)).toEqual([`${OTHER.id} Authorization request accepted`]);
    const otherState = await json(
      await handleFlowState(post(URL_STATE, { correlation: correlationId, client_id: OTHER.id, client_secret: OTHER.secret }), ctx()),
    );
    expect(otherState.body).toMatchObject({ codes: [], accessTokens: [], refreshTokens: [] });
    // A secret in a URL is refused before anything else.
    expect(
      (await handleFlowEvents(new Request(`${URL_EVENTS}?correlation=${correlationId}&client_secret=${CLIENT.secret}`), ctx())).status,
    ).toBe(400);
  });

  it("an access token reads its own run; another run's token is refused with invalid_token", async () => {
    const mine = await run();
    const another = await run();
    const ok = await json(
      await handleFlowEvents(new Request(URL_EVENTS, { headers: { Authorization: `Bearer ${mine.accessToken}` } }), ctx()),
    );
    expect(ok).toMatchObject({ status: 200, body: { correlationId: mine.correlationId } });
    const refused = await handleFlowEvents(
      post(URL_EVENTS, { correlation: mine.correlationId }, { Authorization: `Bearer ${another.accessToken}` }),
      ctx(),
    );
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(await json(refused)).toMatchObject({ status: 401, body: { error: "invalid_token" } });
    const state = await handleFlowState(
      new Request(`${URL_STATE}?correlation=${mine.correlationId}`, { headers: { Authorization: `Bearer ${another.accessToken}` } }),
      ctx(),
    );
    expect(state.status).toBe(401);
  });

  it("a DPoP-bound access token is not a bearer token here either (RFC 9449 §7.1): refused with invalid_token", async () => {
    const bound = await run((await generateKeyPair("ES256")) as CryptoKeyPair);
    const refused = await handleFlowEvents(new Request(URL_EVENTS, { headers: { Authorization: `Bearer ${bound.accessToken}` } }), ctx());
    expect(await json(refused)).toMatchObject({
      status: 401,
      body: { error: "invalid_token", error_description: expect.stringMatching(/DPoP-bound/) },
    });
    // Its verifier still reads the run.
    expect((await handleFlowEvents(post(URL_EVENTS, { code_verifier: bound.verifier }), ctx())).status).toBe(200);
  });

  it("the instructor's session (as the app vouches for it) reads the whole run by its id", async () => {
    const { correlationId } = await run();
    const instructor = { isInstructor: async () => true };
    const ok = await json(await handleFlowEvents(new Request(`${URL_EVENTS}?correlation=${correlationId}`), ctx(), instructor));
    expect(ok.status).toBe(200);
    expect(new Set((ok.body as Events).events.map((e) => e.clientId))).toEqual(new Set([CLIENT.id, OTHER.id]));
    const notInstructor = await handleFlowEvents(new Request(`${URL_EVENTS}?correlation=${correlationId}`), ctx(), {
      isInstructor: async () => false,
    });
    expect(notInstructor.status).toBe(401);
  });
});

describe("a run whose user did not consent names no user to a client", () => {
  it("a denied run: no user id and no username, to the verifier and to the client; the instructor sees them", async () => {
    const { verifier, challenge } = pkcePair();
    const correlationId = correlationIdFor(challenge);
    const base = { correlationId, role: "authorization-server" as const, step: 2, clientId: CLIENT.id };
    await recordEvent(t.db, { ...base, step: 1, name: "Authorization request accepted", outcome: "ok" });
    await recordEvent(t.db, {
      ...base,
      userId,
      name: "User signed in",
      outcome: "ok",
      http: { request: { method: "POST", url: "http://localhost:3000/login/submit", body: { username: "alice", password: "x" } } },
    });
    await recordEvent(t.db, { ...base, userId, name: "User denied consent", outcome: "error" });

    for (const request of [
      post(URL_EVENTS, { code_verifier: verifier }),
      post(URL_EVENTS, { correlation: correlationId }, { Authorization: basicAuth(CLIENT.id, CLIENT.secret) }),
    ]) {
      const answer = await json(await handleFlowEvents(request, ctx()));
      expect(answer.status).toBe(200);
      const { events } = answer.body as Events;
      expect(events.map((e) => e.name)).toEqual(["Authorization request accepted", "User signed in", "User denied consent"]);
      expect(events.every((e) => e.userId === null)).toBe(true);
      const text = JSON.stringify(answer.body);
      expect(text).not.toContain(userId);
      expect(text).not.toContain("alice");
    }
    const instructor = await json(
      await handleFlowEvents(new Request(`${URL_EVENTS}?correlation=${correlationId}`), ctx(), { isInstructor: async () => true }),
    );
    expect(JSON.stringify(instructor.body)).toContain(userId);
  });

  it("an authorization URL made up by someone else and opened by the user: its verifier does not name the user until the code is redeemed", async () => {
    const { verifier, challenge } = pkcePair();
    const correlationId = correlationIdFor(challenge);
    const base = { correlationId, role: "authorization-server" as const, clientId: CLIENT.id, userId };
    await recordEvent(t.db, {
      ...base,
      step: 2,
      name: "User signed in",
      outcome: "ok",
      http: { request: { method: "POST", url: "http://localhost:3000/login/submit", body: { username: "alice", password: "x" } } },
    });
    await recordEvent(t.db, { ...base, step: 3, name: "Authorization response: redirect with a one-time code", outcome: "ok" });
    // The code went to the real client's redirect URI; the maker of the URL holds only the verifier.
    const answer = await json(await handleFlowEvents(post(URL_EVENTS, { code_verifier: verifier }), ctx()));
    expect((answer.body as Events).events).toHaveLength(2);
    expect(JSON.stringify(answer.body)).not.toContain(userId);
    expect(JSON.stringify(answer.body)).not.toContain("alice");
  });
});
