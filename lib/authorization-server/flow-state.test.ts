import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken, randomToken } from "../crypto";
import { createTestDatabase, insertCode, pkcePair, seedClient, seedUser, testContext, tokenRequest, type TestDatabase } from "../test-support/db";
import { handleFlowState, loadFlowState, timeline } from "./flow-state";
import { handleToken } from "./token-endpoint";

/** The authorization server's records of a run, laid open: states over time, and never a secret. */

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s));
const iso = (s: number) => at(s).toISOString();

describe("timeline", () => {
  it("a fresh record is only issued", () => {
    expect(timeline({ createdAt: at(0), expiresAt: at(60) }, at(1))).toEqual([{ state: "issued", at: iso(0) }]);
  });

  it("a code: issued, consumed, then revoked by a replay, then expired, in the order they happened", () => {
    const row = { createdAt: at(0), expiresAt: at(60), consumedAt: at(3), revokedAt: at(9) };
    expect(timeline(row, at(30)).map((s) => s.state)).toEqual(["issued", "consumed", "revoked"]);
    expect(timeline(row, at(60))).toEqual([
      { state: "issued", at: iso(0) }, { state: "consumed", at: iso(3) }, { state: "revoked", at: iso(9) }, { state: "expired", at: iso(60) },
    ]);
  });

  it("a refresh token rotated, then revoked with its family", () => {
    expect(timeline({ createdAt: at(0), expiresAt: at(600), rotatedAt: at(5), revokedAt: at(7) }, at(8)).map((s) => s.state)).toEqual(["issued", "rotated", "revoked"]);
  });

  it("expiry is listed at its instant, even before a later revocation; same-instant states keep their logical order", () => {
    expect(timeline({ createdAt: at(0), expiresAt: at(5), revokedAt: at(9) }, at(10)).map((s) => s.state)).toEqual(["issued", "expired", "revoked"]);
    expect(timeline({ createdAt: at(0), expiresAt: at(60), consumedAt: at(3), revokedAt: at(3) }, at(4)).map((s) => s.state)).toEqual(["issued", "consumed", "revoked"]);
    expect(timeline({ createdAt: at(5), expiresAt: at(60), consumedAt: at(3) }, at(4)).map((s) => s.state)).toEqual(["issued", "consumed"]);
  });
});

describe("a run's records, through the real token endpoint", () => {
  let t: TestDatabase;
  let userId: string;
  const REDIRECT = "https://client.example/cb";
  const CLIENT = { id: "state-client", secret: "state-secret-0123456789abcdefghijklmnop" };
  const credentials = { client_id: CLIENT.id, client_secret: CLIENT.secret };

  beforeAll(async () => {
    t = await createTestDatabase();
    userId = (await seedUser(t.db)).id;
    await seedClient(t.db, { ...CLIENT, authMethod: "client_secret_post", redirectUris: [REDIRECT], scopes: ["openid", "offline_access", "notes:read"] });
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = async (params: Record<string, string>, now: Date) =>
    (await handleToken(tokenRequest({ ...params, ...credentials }), testContext(t.db, now))).json() as Promise<Record<string, string>>;

  it("shows the code issued, consumed and revoked by its replay; the access and refresh tokens rotated and revoked; and no secret", async () => {
    const t0 = new Date();
    const later = (s: number) => new Date(t0.getTime() + s * 1000);
    const correlationId = randomToken(12);
    const { verifier, challenge } = pkcePair();
    const { code, row } = await insertCode(t.db, { clientId: CLIENT.id, userId, redirectUri: REDIRECT, scope: "openid offline_access notes:read", codeChallenge: challenge, expiresAt: later(60), correlationId });
    const redeem = { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier };
    const first = await post(redeem, later(1));
    const second = await post({ grant_type: "refresh_token", refresh_token: first.refresh_token }, later(2));
    expect(second.access_token).toBeDefined();
    expect((await post(redeem, later(3))).error).toBe("invalid_grant"); // the replay

    const state = await loadFlowState(testContext(t.db, later(4)), correlationId);
    expect(state.codes).toEqual([{
      kind: "authorization-code", label: `hash ${hashToken(code).slice(0, 6)}…`, grant: row.id.slice(0, 8), scope: "openid offline_access notes:read",
      expiresAt: later(60).toISOString(), states: [{ state: "issued", at: row.createdAt.toISOString() }, { state: "consumed", at: later(1).toISOString() }, { state: "revoked", at: later(3).toISOString() }],
    }]);
    expect(state.accessTokens.map((r) => r.states.map((s) => s.state))).toEqual([["issued", "revoked"], ["issued", "revoked"]]);
    expect(state.accessTokens.every((r) => /^jti \S+$/.test(r.label) && r.grant === row.id.slice(0, 8))).toBe(true);
    expect(state.refreshTokens.map((r) => r.states.map((s) => s.state))).toEqual([["issued", "rotated", "revoked"], ["issued", "revoked"]]);
    expect(state.refreshTokens.map((r) => r.label)).toEqual([first.refresh_token, second.refresh_token].map((rt) => `hash ${hashToken(rt).slice(0, 6)}…`));

    // Past the access tokens' expiry (300 s), they show it too.
    const expired = await loadFlowState(testContext(t.db, later(400)), correlationId);
    expect(expired.accessTokens[0].states.map((s) => s.state)).toEqual(["issued", "revoked", "expired"]);

    const text = JSON.stringify(state);
    for (const secret of [code, verifier, CLIENT.secret, first.access_token, first.refresh_token, first.id_token, second.access_token, second.refresh_token]) {
      expect(text).not.toContain(secret);
    }
    for (const hash of [hashToken(code), hashToken(first.refresh_token), hashToken(second.refresh_token)]) {
      expect(text).not.toContain(hash.slice(0, 7));
    }
  });

  it("another run's records are not shown", async () => {
    const state = await loadFlowState(testContext(t.db), randomToken(12));
    expect(state).toMatchObject({ codes: [], accessTokens: [], refreshTokens: [] });
  });

  it("the endpoint answers no-store JSON, and refuses a malformed run name", async () => {
    const ok = await handleFlowState(new Request(`http://localhost:3000/api/flow-state?correlation=${randomToken(12)}`), testContext(t.db));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    const bad = await handleFlowState(new Request("http://localhost:3000/api/flow-state?correlation=x"), testContext(t.db));
    expect(bad.status).toBe(400);
    expect(bad.headers.get("cache-control")).toBe("no-store");
  });
});
