import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken, randomToken } from "../crypto";
import {
  createTestDatabase,
  insertCode,
  pkcePair,
  seedClient,
  seedUser,
  testContext,
  tokenRequest,
  type TestDatabase,
} from "../../test/support/db";
import { handleFlowState, loadFlowState, timeline } from "./flow-state";
import { handleRevocation } from "./revocation";
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
      { state: "issued", at: iso(0) },
      { state: "consumed", at: iso(3) },
      { state: "revoked", at: iso(9) },
      { state: "expired", at: iso(60) },
    ]);
  });

  it("a refresh token rotated, then revoked with its family", () => {
    expect(timeline({ createdAt: at(0), expiresAt: at(600), rotatedAt: at(5), revokedAt: at(7) }, at(8)).map((s) => s.state)).toEqual([
      "issued",
      "rotated",
      "revoked",
    ]);
  });

  it("expiry is listed at its instant, even before a later revocation; same-instant states keep their logical order", () => {
    expect(timeline({ createdAt: at(0), expiresAt: at(5), revokedAt: at(9) }, at(10)).map((s) => s.state)).toEqual([
      "issued",
      "expired",
      "revoked",
    ]);
    expect(timeline({ createdAt: at(0), expiresAt: at(60), consumedAt: at(3), revokedAt: at(3) }, at(4)).map((s) => s.state)).toEqual([
      "issued",
      "consumed",
      "revoked",
    ]);
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
    await seedClient(t.db, {
      ...CLIENT,
      authMethod: "client_secret_post",
      redirectUris: [REDIRECT],
      scopes: ["openid", "offline_access", "notes:read"],
    });
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
    const { code, row } = await insertCode(t.db, {
      clientId: CLIENT.id,
      userId,
      redirectUri: REDIRECT,
      scope: "openid offline_access notes:read",
      codeChallenge: challenge,
      expiresAt: later(60),
      correlationId,
    });
    const redeem = { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier };
    const first = await post(redeem, later(1));
    const second = await post({ grant_type: "refresh_token", refresh_token: first.refresh_token }, later(2));
    expect(second.access_token).toBeDefined();
    expect((await post(redeem, later(3))).error).toBe("invalid_grant"); // the replay

    const state = await loadFlowState(testContext(t.db, later(4)), correlationId);
    expect(state.codes).toEqual([
      {
        kind: "authorization-code",
        label: `hash ${hashToken(code).slice(0, 6)}…`,
        grant: row.id.slice(0, 8),
        scope: "openid offline_access notes:read",
        expiresAt: later(60).toISOString(),
        states: [
          { state: "issued", at: row.createdAt.toISOString() },
          { state: "consumed", at: later(1).toISOString() },
          { state: "revoked", at: later(3).toISOString(), cause: "a replay of the code" },
        ],
      },
    ]);
    expect(state.accessTokens.map((r) => r.states.map((s) => s.state))).toEqual([
      ["issued", "revoked"],
      ["issued", "revoked"],
    ]);
    expect(state.accessTokens.every((r) => /^jti \S+$/.test(r.label) && r.grant === row.id.slice(0, 8))).toBe(true);
    expect(state.refreshTokens.map((r) => r.states.map((s) => s.state))).toEqual([
      ["issued", "rotated", "revoked"],
      ["issued", "revoked"],
    ]);
    expect([...state.accessTokens, ...state.refreshTokens].map((r) => r.states.at(-1)!.cause)).toEqual(
      Array(4).fill("a replay of the code"),
    );
    expect(state.refreshTokens.map((r) => r.label)).toEqual(
      [first.refresh_token, second.refresh_token].map((rt) => `hash ${hashToken(rt).slice(0, 6)}…`),
    );

    // Past the access tokens' expiry (300 s), they show it too.
    const expired = await loadFlowState(testContext(t.db, later(400)), correlationId);
    expect(expired.accessTokens[0].states.map((s) => s.state)).toEqual(["issued", "revoked", "expired"]);

    const text = JSON.stringify(state);
    for (const secret of [
      code,
      verifier,
      CLIENT.secret,
      first.access_token,
      first.refresh_token,
      first.id_token,
      second.access_token,
      second.refresh_token,
    ]) {
      expect(text).not.toContain(secret);
    }
    for (const hash of [hashToken(code), hashToken(first.refresh_token), hashToken(second.refresh_token)]) {
      expect(text).not.toContain(hash.slice(0, 7));
    }
  });

  it("names what revoked a record: reuse of a rotated refresh token, a revocation request for the grant or for one access token", async () => {
    const t0 = new Date();
    const later = (s: number) => new Date(t0.getTime() + s * 1000);
    const grant = async () => {
      const correlationId = randomToken(12);
      const { verifier, challenge } = pkcePair();
      const { code } = await insertCode(t.db, {
        clientId: CLIENT.id,
        userId,
        redirectUri: REDIRECT,
        scope: "openid offline_access notes:read",
        codeChallenge: challenge,
        expiresAt: later(60),
        correlationId,
      });
      return {
        correlationId,
        tokens: await post({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier }, later(1)),
      };
    };
    const revoke = (token: string, now: Date) =>
      handleRevocation(
        new Request("http://localhost:3000/oauth/revoke", {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ token, ...credentials }).toString(),
        }),
        testContext(t.db, now),
      );
    const causes = async (correlationId: string) => {
      const state = await loadFlowState(testContext(t.db, later(10)), correlationId);
      return [...state.codes, ...state.accessTokens, ...state.refreshTokens].map(
        (r) => `${r.kind} ${r.states.map((s) => (s.cause ? `${s.state} (${s.cause})` : s.state)).join(" ")}`,
      );
    };

    const reused = await grant();
    await post({ grant_type: "refresh_token", refresh_token: reused.tokens.refresh_token }, later(2));
    await post({ grant_type: "refresh_token", refresh_token: reused.tokens.refresh_token }, later(3));
    expect(await causes(reused.correlationId)).toEqual([
      "authorization-code issued consumed revoked (reuse of a rotated refresh token)",
      "access-token issued revoked (reuse of a rotated refresh token)",
      "access-token issued revoked (reuse of a rotated refresh token)",
      "refresh-token issued rotated revoked (reuse of a rotated refresh token)",
      "refresh-token issued revoked (reuse of a rotated refresh token)",
    ]);

    const ended = await grant();
    expect((await revoke(ended.tokens.refresh_token, later(2))).status).toBe(200);
    expect(await causes(ended.correlationId)).toEqual([
      "authorization-code issued consumed revoked (a revocation request)",
      "access-token issued revoked (a revocation request)",
      "refresh-token issued revoked (a revocation request)",
    ]);

    const one = await grant();
    expect((await revoke(one.tokens.access_token, later(2))).status).toBe(200);
    // A token revoked with no event saying why (issued in a race with a revocation, say) gets no cause.
    const row = (await t.db.accessToken.findFirst({ where: { correlationId: one.correlationId } }))!;
    await t.db.accessToken.create({ data: { ...row, jti: randomToken(16), createdAt: later(3), revokedAt: later(4) } });
    expect(await causes(one.correlationId)).toEqual([
      "authorization-code issued consumed",
      "access-token issued revoked (a revocation request)",
      "access-token issued revoked",
      "refresh-token issued",
    ]);
  });

  it("another run's records are not shown", async () => {
    const state = await loadFlowState(testContext(t.db), randomToken(12));
    expect(state).toMatchObject({ codes: [], accessTokens: [], refreshTokens: [] });
  });

  it("the endpoint answers no-store JSON, and refuses a malformed run name", async () => {
    const ok = await handleFlowState(
      new Request("http://localhost:3000/api/flow-state", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ code_verifier: pkcePair().verifier }).toString(),
      }),
      testContext(t.db),
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    const bad = await handleFlowState(new Request("http://localhost:3000/api/flow-state?correlation=x"), testContext(t.db));
    expect(bad.status).toBe(400);
    expect(bad.headers.get("cache-control")).toBe("no-store");
  });
});
