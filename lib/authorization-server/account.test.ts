import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomToken } from "../crypto";
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
import { grantsCsrfToken, grantsPageView, handleAccountGrants, handleRevokeAccess, listGrants, returnPath } from "./account";
import { rememberConsent } from "./consent";
import { loadFlowState } from "./flow-state";
import { createSession } from "./session";
import { handleToken } from "./token-endpoint";
import { handleUserinfo } from "./userinfo";

const ISSUER = "http://localhost:3000";

describe("returnPath: where a sign-in with no authorization request goes back to", () => {
  it("keeps a path of this site", () => {
    expect(returnPath(ISSUER, "/grants")).toBe("/grants");
    expect(returnPath(ISSUER, "/grants?revoked=x")).toBe("/grants?revoked=x");
  });
  it.each([
    ["nothing", undefined],
    ["another site", "https://evil.example/grants"],
    ["a protocol-relative URL", "//evil.example/grants"],
    ["a backslash a browser reads as a slash", "/\\evil.example"],
    ["a scheme", "javascript:alert(1)"],
    ["a relative path", "grants"],
    ["a control character", "/gr\nants"],
    ["a tab the URL parser drops", "/\t/evil.example"],
    ["a long path", `/${"a".repeat(300)}`],
  ])("refuses %s: the home page instead", (_, wanted) => {
    expect(returnPath(ISSUER, wanted)).toBe("/");
  });
});

describe("the user's own grants", () => {
  let t: TestDatabase;
  let userId: string;
  let otherUserId: string;
  const REDIRECT = "https://client.example/cb";
  const FIRST = { id: "grants-first", secret: "grants-first-secret-0123456789abcdefghijkl" };
  const SELF = { id: "grants-self", secret: "grants-self-secret-0123456789abcdefghijklm" };

  beforeAll(async () => {
    t = await createTestDatabase();
    userId = (await seedUser(t.db)).id;
    otherUserId = (await seedUser(t.db, "bob")).id;
    for (const c of [FIRST, SELF])
      await seedClient(t.db, {
        ...c,
        authMethod: "client_secret_post",
        redirectUris: [REDIRECT],
        scopes: ["openid", "profile", "offline_access", "notes:read"],
      });
    await t.db.client.update({ where: { id: SELF.id }, data: { selfRegistered: true, name: "Self-named app" } });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A grant through the real token endpoint: a code for `user`, redeemed by `client`. */
  async function grant(client: { id: string; secret: string }, user: string, scope: string, now: Date) {
    const correlationId = randomToken(12);
    const { verifier, challenge } = pkcePair();
    const { code } = await insertCode(t.db, {
      clientId: client.id,
      userId: user,
      redirectUri: REDIRECT,
      scope,
      codeChallenge: challenge,
      expiresAt: new Date(now.getTime() + 60_000),
      correlationId,
    });
    const response = await handleToken(
      tokenRequest({
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: client.id,
        client_secret: client.secret,
      }),
      testContext(t.db, now),
    );
    return { correlationId, tokens: (await response.json()) as Record<string, string> };
  }

  const refresh = async (client: { id: string; secret: string }, refreshToken: string, now: Date) =>
    (await handleToken(
      tokenRequest({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: client.id, client_secret: client.secret }),
      testContext(t.db, now),
    ).then((r) => r.json())) as Record<string, string>;

  const revokeForm = (fields: Record<string, string>, headers: Record<string, string>) =>
    new Request(`${ISSUER}/grants/revoke`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin", ...headers },
      body: new URLSearchParams(fields).toString(),
    });

  const json = (token: string | undefined, now: Date) =>
    handleAccountGrants(
      new Request(`${ISSUER}/account/grants`, { headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } }),
      testContext(t.db, now),
    );

  it("lists each client granted, with its scopes in words, when it was granted, grew and was last used, and who named it", async () => {
    const t0 = new Date();
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    expect(await listGrants(testContext(t.db), userId)).toEqual([]);

    await rememberConsent(testContext(t.db, at(0)), userId, FIRST.id, ["openid", "notes:read"]);
    await rememberConsent(testContext(t.db, at(0)), userId, FIRST.id, ["openid"]); // nothing new: no write
    await grant(FIRST, userId, "openid notes:read", at(1));
    await rememberConsent(testContext(t.db, at(5)), userId, SELF.id, ["openid"]);
    await grant(SELF, userId, "openid", at(6));
    await rememberConsent(testContext(t.db, at(0)), otherUserId, FIRST.id, ["openid"]);

    const before = await listGrants(testContext(t.db), userId);
    expect(before.map((g) => [g.clientId, g.selfRegistered])).toEqual([
      [SELF.id, true],
      [FIRST.id, false],
    ]);
    const first = before.find((g) => g.clientId === FIRST.id)!;
    expect(first.clientName).toBe(`${FIRST.id} (test)`);
    expect(first.scopes).toEqual([
      { scope: "openid", description: "Confirm who you are (sign you in with your account ID)." },
      { scope: "notes:read", description: "Read your notes." },
    ]);
    expect(first.scopeUpdatedAt).toBeNull();
    expect(first.lastUsedAt?.toISOString()).toBe(at(1).toISOString());

    // The user consents to more: the grant grew, and says when.
    await new Promise((r) => setTimeout(r, 5));
    await rememberConsent(testContext(t.db), userId, FIRST.id, ["profile"]);
    const grown = (await listGrants(testContext(t.db), userId)).find((g) => g.clientId === FIRST.id)!;
    expect(grown.scopes.map((s) => s.scope)).toEqual(["openid", "profile", "notes:read"]);
    expect(grown.scopeUpdatedAt).not.toBeNull();
    expect(grown.grantedAt).toEqual(first.grantedAt);
  });

  it("the page: nobody signed in sees only that; the signed-in user their own grants and a CSRF token bound to the session", async () => {
    expect(await grantsPageView(testContext(t.db), undefined)).toEqual({ signedIn: false });
    expect(await grantsPageView(testContext(t.db), "not-a-session")).toEqual({ signedIn: false });
    const { cookie } = await createSession(testContext(t.db), userId);
    const token = decodeURIComponent(cookie.split(";")[0].split("=")[1]);
    const view = await grantsPageView(testContext(t.db), token);
    expect(view).toMatchObject({ signedIn: true, username: "alice", csrfToken: grantsCsrfToken(token) });
    expect(grantsCsrfToken(token)).not.toContain(token);
    expect(grantsCsrfToken(token)).not.toBe(grantsCsrfToken(randomToken()));
    // "?revoked=" names a client only when it indeed holds no grant of this user.
    expect(await grantsPageView(testContext(t.db), token, FIRST.id)).not.toHaveProperty("revoked");
    await t.db.consent.deleteMany({ where: { userId, clientId: SELF.id } });
    expect(await grantsPageView(testContext(t.db), token, SELF.id)).toMatchObject({
      revoked: { clientId: SELF.id, clientName: "Self-named app" },
    });
    expect(await grantsPageView(testContext(t.db), token, "no-such-client")).not.toHaveProperty("revoked");
  });

  it("Revoke access: refused without our form's origin, a session or its CSRF token; then ends every grant of that client only", async () => {
    const t0 = new Date();
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    const ctx = testContext(t.db, at(0));
    const scope = "openid offline_access notes:read";
    await rememberConsent(ctx, userId, FIRST.id, splitScopes(scope));
    const one = await grant(FIRST, userId, scope, at(1));
    const two = await grant(FIRST, userId, scope, at(2));
    const other = await grant(SELF, userId, scope, at(3));
    const bobs = await grant(FIRST, otherUserId, scope, at(3));

    const { cookie } = await createSession(ctx, userId);
    const [name, value] = cookie.split(";")[0].split("=");
    const sessionToken = decodeURIComponent(value);
    const csrf = grantsCsrfToken(sessionToken);
    const withCookie = { Cookie: `${name}=${value}` };

    // Another site's form, no session, another session's token, no token: refused, nothing changes.
    const refused = [
      revokeForm({ client_id: FIRST.id, csrf }, { ...withCookie, "Sec-Fetch-Site": "cross-site" }),
      revokeForm({ client_id: FIRST.id, csrf }, {}),
      revokeForm({ client_id: FIRST.id, csrf: grantsCsrfToken(randomToken()) }, withCookie),
      revokeForm({ client_id: FIRST.id }, withCookie),
    ];
    expect(await Promise.all(refused.map(async (r) => (await handleRevokeAccess(r, testContext(t.db, at(4)))).status))).toEqual([
      400, 403, 403, 403,
    ]);
    expect((await json(one.tokens.access_token, at(4))).status).toBe(200);

    const done = await handleRevokeAccess(revokeForm({ client_id: FIRST.id, csrf }, withCookie), testContext(t.db, at(5)));
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(`${ISSUER}/grants?revoked=${FIRST.id}`);

    // The consent is gone; every access token of both grants is refused (by its jti row), every refresh token too.
    expect((await listGrants(ctx, userId)).map((g) => g.clientId)).not.toContain(FIRST.id);
    for (const g of [one, two]) {
      const userinfo = await handleUserinfo(
        new Request(`${ISSUER}/oauth/userinfo`, { headers: { Authorization: `Bearer ${g.tokens.access_token}` } }),
        testContext(t.db, at(6)),
      );
      expect(userinfo.status).toBe(401);
      expect((await refresh(FIRST, g.tokens.refresh_token, at(6))).error).toBe("invalid_grant");
    }
    // Another client of the same user, and the same client's grant for another user, are untouched.
    expect((await refresh(SELF, other.tokens.refresh_token, at(7))).access_token).toBeDefined();
    expect((await refresh(FIRST, bobs.tokens.refresh_token, at(7))).access_token).toBeDefined();

    // Each run says why its grant ended, and the event keeps counts only.
    const state = await loadFlowState(testContext(t.db, at(8)), one.correlationId);
    expect(state.codes[0].states.at(-1)).toMatchObject({ state: "revoked", cause: "the user, on their grants page" });
    const event = await t.db.flowEvent.findFirst({ where: { correlationId: two.correlationId, step: 7 } });
    // The first test's grant of this client (no offline_access: no refresh token) ended too.
    expect(JSON.parse(event!.data)).toMatchObject({ detail: { grantsRevoked: 3, accessTokensRevoked: 3, refreshTokensRevoked: 2 } });
    expect(event!.data).not.toContain(one.tokens.refresh_token);

    // A second press finds nothing left, and still answers with the page.
    const again = await handleRevokeAccess(revokeForm({ client_id: FIRST.id, csrf }, withCookie), testContext(t.db, at(9)));
    expect(again.status).toBe(303);
    const unknown = await handleRevokeAccess(revokeForm({ client_id: "no-such-client", csrf }, withCookie), testContext(t.db, at(9)));
    expect(unknown.status).toBe(400);
  });

  it("the JSON list: a first-party client's token with openid, no-store; no token, another scope or a self-registered client refused", async () => {
    const now = new Date();
    await rememberConsent(testContext(t.db, now), userId, FIRST.id, ["openid", "notes:read"]);
    const withOpenid = await grant(FIRST, userId, "openid notes:read", now);
    const response = await json(withOpenid.tokens.access_token, now);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { sub: string; grants: Record<string, unknown>[] };
    expect(body.sub).toBe(userId);
    expect(body.grants.find((g) => g.client_id === FIRST.id)).toMatchObject({
      client_name: `${FIRST.id} (test)`,
      self_registered: false,
      scope: "openid notes:read",
      scopes: [{ scope: "openid" }, { scope: "notes:read" }],
    });

    const none = await json(undefined, now);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
    expect((await json("not-a-jwt", now)).status).toBe(401);

    const notesOnly = await grant(FIRST, userId, "notes:read", now);
    const narrow = await json(notesOnly.tokens.access_token, now);
    expect(narrow.status).toBe(403);
    expect(narrow.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    expect(narrow.headers.get("cache-control")).toBe("no-store");

    const selfRegistered = await grant(SELF, userId, "openid", now);
    expect((await json(selfRegistered.tokens.access_token, now)).status).toBe(403);
  });
});

const splitScopes = (scope: string) => scope.split(" ");
