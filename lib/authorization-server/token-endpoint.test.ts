import { createHash } from "node:crypto";
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken, randomToken } from "../crypto";
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
  TOKEN_URL,
  type TestDatabase,
} from "../../test/support/db";
import { verifyOwnAccessToken } from "./access-token";
import { findClient, forgetCachedClients } from "./clients";
import type { Context } from "../oauth/context";
import { OAuthError } from "../oauth/errors";
import { getKeys } from "./keys";
import { handleToken } from "./token-endpoint";
import { issueTokens, revokeGrant } from "./tokens";

const REDIRECT = "https://client.example/cb";
const ISSUER = "http://localhost:3000";
const AUDIENCE = "http://localhost:3000/api";
const FULL = "openid profile email offline_access notes:read notes:write";

const CLIENTS = {
  post: { id: "conf-post", secret: "post-secret-0123456789abcdefghijklmnop", authMethod: "client_secret_post" as const },
  basic: { id: "conf-basic", secret: "basic-secret-0123456789abcdefghijklmno", authMethod: "client_secret_basic" as const },
  // RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64, so ':' '+' ' ' and '%' survive.
  special: { id: "conf special:id", secret: "s3cret:with+plus %percent&amp", authMethod: "client_secret_basic" as const },
  public: { id: "public-app", secret: null, authMethod: "none" as const },
  other: { id: "other-post", secret: "other-secret-0123456789abcdefghijklmn", authMethod: "client_secret_post" as const },
};
type ClientName = keyof typeof CLIENTS;

let t: TestDatabase;
let userId: string;
let now: Date;

beforeAll(async () => {
  t = await createTestDatabase();
  userId = (await seedUser(t.db)).id;
  for (const c of Object.values(CLIENTS)) {
    await seedClient(t.db, { ...c, redirectUris: [REDIRECT, "http://127.0.0.1:8976/callback"], scopes: FULL.split(" ") });
  }
  now = new Date();
});

afterAll(async () => {
  await t?.close();
});

const ctxAt = (at: Date = now): Context => testContext(t.db, at);

/** The client authentication of each registered method, plus extra parameters. */
function authFor(name: ClientName, params: Record<string, string>): { params: Record<string, string>; authorization?: string } {
  const c = CLIENTS[name];
  if (c.authMethod === "client_secret_basic") return { params, authorization: basicAuth(c.id, c.secret) };
  if (c.authMethod === "client_secret_post") return { params: { ...params, client_id: c.id, client_secret: c.secret } };
  return { params: { ...params, client_id: c.id } };
}

type TokenBody = { access_token: string; token_type: string; expires_in: number; scope: string; refresh_token?: string; id_token?: string };
type ErrorBody = { error: string; error_description: string };

/** Calls the token endpoint and checks that every response, success or error, is no-store. */
async function call(request: Request, ctx: Context = ctxAt()) {
  const response = await handleToken(request, ctx);
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("pragma")).toBe("no-cache");
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return { response, status: response.status, body: (await response.json()) as TokenBody & ErrorBody };
}

async function newCode(options: { client?: ClientName; scope?: string; nonce?: string | null; expiresAt?: Date } = {}) {
  const { verifier, challenge } = pkcePair();
  const client = CLIENTS[options.client ?? "post"];
  const { code, row } = await insertCode(t.db, {
    clientId: client.id,
    userId,
    redirectUri: REDIRECT,
    scope: options.scope ?? FULL,
    codeChallenge: challenge,
    nonce: options.nonce === undefined ? "n-0S6_WzA2Mj" : options.nonce,
    expiresAt: options.expiresAt ?? new Date(now.getTime() + 60_000),
  });
  return { code, verifier, row };
}

async function redeem(name: ClientName, code: string, verifier: string | undefined, ctx?: Context, extra: Record<string, string> = {}) {
  const params: Record<string, string> = { grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...extra };
  if (verifier !== undefined) params.code_verifier = verifier;
  const { params: p, authorization } = authFor(name, params);
  return call(tokenRequest(p, { authorization }), ctx);
}

async function refresh(name: ClientName, refreshToken: string, ctx?: Context, extra: Record<string, string> = {}) {
  const { params, authorization } = authFor(name, { grant_type: "refresh_token", refresh_token: refreshToken, ...extra });
  return call(tokenRequest(params, { authorization }), ctx);
}

async function tokensFor(scope = FULL, client: ClientName = "post") {
  const { code, verifier, row } = await newCode({ client, scope });
  const result = await redeem(client, code, verifier);
  expect(result.status).toBe(200);
  return { ...result.body, grantId: row.id };
}

describe("authorization_code grant: success (RFC 6749 §4.1.3, §5.1)", () => {
  it("returns a Bearer JWT access token (RFC 9068) with the expected header and claims", async () => {
    const { code, verifier, row } = await newCode({ scope: "openid notes:read" });
    const { status, body } = await redeem("post", code, verifier);
    expect(status).toBe(200);
    expect(body.token_type).toBe("Bearer");
    expect(body.expires_in).toBe(300);
    expect(body.scope).toBe("openid notes:read");

    const header = decodeProtectedHeader(body.access_token);
    const { signing } = await getKeys(t.db);
    expect(header).toEqual({ alg: "ES256", typ: "at+jwt", kid: signing.kid });

    const claims = decodeJwt(body.access_token);
    expect(claims.iss).toBe(ISSUER);
    expect(claims.aud).toBe(AUDIENCE);
    expect(claims.sub).toBe(userId);
    expect(claims.client_id).toBe(CLIENTS.post.id);
    expect(claims.scope).toBe("openid notes:read");
    expect(claims.iat).toBe(Math.floor(now.getTime() / 1000));
    expect(claims.exp).toBe(claims.iat! + 300);
    expect(claims.auth_time).toBe(Math.floor(row.authTime.getTime() / 1000));
    expect(typeof claims.jti).toBe("string");

    // the jti is recorded for revocation, in the code's grant
    const stored = await t.db.accessToken.findUnique({ where: { jti: claims.jti! } });
    expect(stored).toMatchObject({ grantId: row.id, clientId: CLIENTS.post.id, userId, scope: "openid notes:read", revokedAt: null });
    // and the token verifies with the server's own keys
    const verified = await verifyOwnAccessToken(ctxAt(), body.access_token);
    expect(verified.claims.jti).toBe(claims.jti);

    // the code is consumed
    expect((await t.db.authorizationCode.findUnique({ where: { id: row.id } }))!.consumedAt).toEqual(now);
  });

  it("gives no refresh token without offline_access, and no ID token without openid", async () => {
    const { code, verifier, row } = await newCode({ scope: "notes:read" });
    const { status, body } = await redeem("post", code, verifier);
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "scope", "token_type"]);
    expect(await t.db.refreshToken.count({ where: { grantId: row.id } })).toBe(0);
  });

  it("gives a refresh token with offline_access (stored only as a hash), and no ID token without openid", async () => {
    const { code, verifier, row } = await newCode({ scope: "offline_access notes:read" });
    const { status, body } = await redeem("post", code, verifier);
    expect(status).toBe(200);
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.id_token).toBeUndefined();
    const rows = await t.db.refreshToken.findMany({ where: { grantId: row.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toBe(hashToken(body.refresh_token!));
    expect(rows[0].expiresAt).toEqual(new Date(now.getTime() + 86_400_000));
  });

  it("gives an ID token with openid: aud is the client, nonce and at_hash are present", async () => {
    const { code, verifier } = await newCode({ scope: "openid profile", nonce: "nonce-123" });
    const { status, body } = await redeem("post", code, verifier);
    expect(status).toBe(200);
    expect(body.refresh_token).toBeUndefined();
    const header = decodeProtectedHeader(body.id_token!);
    expect(header.alg).toBe("ES256");
    expect(header.kid).toBe((await getKeys(t.db)).signing.kid);
    const claims = decodeJwt(body.id_token!);
    expect(claims.iss).toBe(ISSUER);
    expect(claims.aud).toBe(CLIENTS.post.id);
    expect(claims.azp).toBe(CLIENTS.post.id);
    expect(claims.sub).toBe(userId);
    expect(claims.nonce).toBe("nonce-123");
    const expectedAtHash = createHash("sha256").update(body.access_token).digest().subarray(0, 16).toString("base64url");
    expect(claims.at_hash).toBe(expectedAtHash);
    expect(claims.exp).toBe(claims.iat! + 300);
  });

  it("omits nonce from the ID token when the request had none", async () => {
    const { code, verifier } = await newCode({ scope: "openid", nonce: null });
    const { body } = await redeem("post", code, verifier);
    expect(decodeJwt(body.id_token!)).not.toHaveProperty("nonce");
  });

  it("gives all three tokens for openid offline_access", async () => {
    const body = await tokensFor(FULL);
    expect(body.access_token).toBeTruthy();
    expect(body.refresh_token).toBeTruthy();
    expect(body.id_token).toBeTruthy();
    expect(body.scope).toBe(FULL);
  });
});

describe("authorization_code grant: refusals", () => {
  it("refuses an expired code with invalid_grant (now past expiresAt)", async () => {
    const { code, verifier, row } = await newCode();
    const { status, body } = await redeem("post", code, verifier, ctxAt(new Date(row.expiresAt.getTime() + 1000)));
    expect(status).toBe(400);
    expect(body).toEqual({ error: "invalid_grant", error_description: "The authorization code has expired." });
    expect(await t.db.accessToken.count({ where: { grantId: row.id } })).toBe(0);
  });

  it("refuses a code at exactly its expiry instant", async () => {
    const { code, verifier, row } = await newCode();
    const { body } = await redeem("post", code, verifier, ctxAt(row.expiresAt));
    expect(body.error).toBe("invalid_grant");
  });

  it("refuses a replayed code and revokes every access and refresh token it produced (RFC 6749 §4.1.2)", async () => {
    const { code, verifier, row } = await newCode({ scope: FULL });
    const first = await redeem("post", code, verifier);
    expect(first.status).toBe(200);
    // a refresh adds a second access token and a second refresh token to the grant
    const refreshed = await refresh("post", first.body.refresh_token!);
    expect(refreshed.status).toBe(200);

    const later = ctxAt(new Date(now.getTime() + 5000));
    const replay = await redeem("post", code, verifier, later);
    expect(replay.status).toBe(400);
    expect(replay.body).toEqual({ error: "invalid_grant", error_description: "The authorization code has already been used." });

    const access = await t.db.accessToken.findMany({ where: { grantId: row.id } });
    const refreshTokens = await t.db.refreshToken.findMany({ where: { grantId: row.id } });
    expect(access).toHaveLength(2);
    expect(refreshTokens).toHaveLength(2);
    for (const r of [...access, ...refreshTokens]) expect(r.revokedAt).toEqual(later.now);

    await expect(verifyOwnAccessToken(later, first.body.access_token)).rejects.toMatchObject({ code: "invalid_token" });
    await expect(verifyOwnAccessToken(later, refreshed.body.access_token)).rejects.toMatchObject({ code: "invalid_token" });
    expect((await refresh("post", refreshed.body.refresh_token!, later)).body.error).toBe("invalid_grant");
  });

  it("does not revoke the tokens of other grants on replay", async () => {
    const bystander = await tokensFor("notes:read");
    const { code, verifier } = await newCode();
    expect((await redeem("post", code, verifier)).status).toBe(200);
    expect((await redeem("post", code, verifier)).status).toBe(400);
    const row = await t.db.accessToken.findUnique({ where: { jti: String(decodeJwt(bystander.access_token).jti) } });
    expect(row!.revokedAt).toBeNull();
  });

  it("refuses a replay that fails PKCE, redirect_uri or client authentication, and revokes nothing (only a rightful replay does)", async () => {
    const { code, verifier, row } = await newCode({ scope: FULL });
    const first = await redeem("post", code, verifier);
    expect(first.status).toBe(200);
    const replays = [
      await redeem("post", code, pkcePair().verifier),
      await redeem("post", code, undefined),
      await redeem("post", code, verifier, undefined, { redirect_uri: "http://127.0.0.1:8976/callback" }),
      await redeem("other", code, verifier),
      await call(
        tokenRequest({
          grant_type: "authorization_code",
          code,
          redirect_uri: REDIRECT,
          code_verifier: verifier,
          client_id: CLIENTS.post.id,
          client_secret: "wrong",
        }),
      ),
    ];
    expect(replays.map((r) => [r.status, r.body.error])).toEqual([
      [400, "invalid_grant"],
      [400, "invalid_grant"],
      [400, "invalid_grant"],
      [400, "invalid_grant"],
      [401, "invalid_client"],
    ]);
    for (const r of [
      ...(await t.db.accessToken.findMany({ where: { grantId: row.id } })),
      ...(await t.db.refreshToken.findMany({ where: { grantId: row.id } })),
    ]) {
      expect(r.revokedAt).toBeNull();
    }
    expect((await refresh("post", first.body.refresh_token!)).status).toBe(200);
    // The replay that could have redeemed it still revokes the grant.
    expect((await redeem("post", code, verifier)).status).toBe(400);
    expect(await t.db.accessToken.count({ where: { grantId: row.id, revokedAt: null } })).toBe(0);
  });

  it("refuses a code presented by another client with invalid_grant, and does NOT consume it", async () => {
    const { code, verifier, row } = await newCode({ client: "post" });
    const stolen = await redeem("other", code, verifier);
    expect(stolen.status).toBe(400);
    expect(stolen.body).toEqual({ error: "invalid_grant", error_description: "The authorization code was not issued to this client." });
    expect((await t.db.authorizationCode.findUnique({ where: { id: row.id } }))!.consumedAt).toBeNull();
    expect(await t.db.accessToken.count({ where: { grantId: row.id } })).toBe(0);
    // the rightful client still redeems it
    expect((await redeem("post", code, verifier)).status).toBe(200);
  });

  it("refuses an unknown code", async () => {
    const { verifier } = await newCode();
    const { status, body } = await redeem("post", "not-a-real-code", verifier);
    expect(status).toBe(400);
    expect(body).toEqual({ error: "invalid_grant", error_description: "The authorization code is invalid." });
  });

  it("refuses a wrong code_verifier with invalid_grant and issues nothing", async () => {
    const { code, row } = await newCode();
    const { status, body } = await redeem("post", code, pkcePair().verifier);
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_grant");
    expect(body.error_description).toBe("code_verifier does not match the code_challenge.");
    expect(await t.db.accessToken.count({ where: { grantId: row.id } })).toBe(0);
  });

  it("refuses a missing code_verifier (PKCE downgrade) with invalid_grant", async () => {
    const { code } = await newCode();
    const { status, body } = await redeem("post", code, undefined);
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_grant");
  });

  it("refuses a redirect_uri other than the authorized one with invalid_grant", async () => {
    const { code, verifier, row } = await newCode();
    const { status, body } = await redeem("post", code, verifier, undefined, { redirect_uri: "http://127.0.0.1:8976/callback" });
    expect(status).toBe(400);
    expect(body).toEqual({ error: "invalid_grant", error_description: "redirect_uri does not match the authorization request." });
    expect(await t.db.accessToken.count({ where: { grantId: row.id } })).toBe(0);
  });

  it("requires code and redirect_uri (invalid_request)", async () => {
    const { code, verifier } = await newCode();
    const noCode = authFor("post", { grant_type: "authorization_code", redirect_uri: REDIRECT, code_verifier: verifier });
    expect((await call(tokenRequest(noCode.params))).body).toEqual({
      error: "invalid_request",
      error_description: "The code parameter is required.",
    });
    const noRedirect = authFor("post", { grant_type: "authorization_code", code, code_verifier: verifier });
    expect((await call(tokenRequest(noRedirect.params))).body.error).toBe("invalid_request");
  });

  it("lets exactly one of two parallel redemptions of a code succeed", async () => {
    const { code, verifier } = await newCode({ scope: "notes:read" });
    const results = await Promise.all([redeem("post", code, verifier), redeem("post", code, verifier)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });
});

describe("refresh_token grant (RFC 6749 §6, RFC 9700 §4.14.2)", () => {
  it("rotates: a new refresh token and access token, the old one marked rotated, the family deadline kept", async () => {
    const first = await tokensFor(FULL);
    const oldRow = (await t.db.refreshToken.findUnique({ where: { tokenHash: hashToken(first.refresh_token!) } }))!;
    const later = ctxAt(new Date(now.getTime() + 60_000));
    const { status, body } = await refresh("post", first.refresh_token!, later);
    expect(status).toBe(200);
    expect(body.refresh_token).toBeTruthy();
    expect(body.refresh_token).not.toBe(first.refresh_token);
    expect(body.access_token).not.toBe(first.access_token);
    expect(body.scope).toBe(FULL);
    expect(body.id_token).toBeTruthy();
    expect(decodeJwt(body.id_token!).aud).toBe(CLIENTS.post.id);
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({ iss: ISSUER, aud: AUDIENCE, sub: userId, client_id: CLIENTS.post.id, scope: FULL });
    expect(claims.iat).toBe(Math.floor(later.now.getTime() / 1000));

    expect((await t.db.refreshToken.findUnique({ where: { id: oldRow.id } }))!.rotatedAt).toEqual(later.now);
    const newRow = (await t.db.refreshToken.findUnique({ where: { tokenHash: hashToken(body.refresh_token!) } }))!;
    expect(newRow.grantId).toBe(first.grantId);
    expect(newRow.expiresAt).toEqual(oldRow.expiresAt);
    expect(newRow.rotatedAt).toBeNull();
  });

  it("detects reuse of a rotated refresh token and revokes the whole family", async () => {
    const first = await tokensFor(FULL);
    const second = await refresh("post", first.refresh_token!);
    expect(second.status).toBe(200);
    const third = await refresh("post", second.body.refresh_token!);
    expect(third.status).toBe(200);

    const later = ctxAt(new Date(now.getTime() + 10_000));
    const reuse = await refresh("post", first.refresh_token!, later);
    expect(reuse.status).toBe(400);
    expect(reuse.body).toEqual({ error: "invalid_grant", error_description: "The refresh token has already been used or revoked." });

    const family = await t.db.refreshToken.findMany({ where: { grantId: first.grantId } });
    expect(family).toHaveLength(3);
    for (const r of family) expect(r.revokedAt).not.toBeNull();
    const access = await t.db.accessToken.findMany({ where: { grantId: first.grantId } });
    expect(access).toHaveLength(3);
    for (const a of access) expect(a.revokedAt).not.toBeNull();

    // the latest (legitimate-looking) refresh token no longer works either
    expect((await refresh("post", third.body.refresh_token!, later)).body.error).toBe("invalid_grant");
    await expect(verifyOwnAccessToken(later, third.body.access_token)).rejects.toBeInstanceOf(OAuthError);
  });

  describe("REFRESH_REUSE_INTERVAL_SECONDS: a refresh whose answer was lost", () => {
    const withInterval = (at: Date, seconds = 10): Context => testContext(t.db, at, { ...testConfig(), refreshReuseInterval: seconds });

    it("within the interval, the same client's retry gets a fresh pair and the successor it never received is revoked", async () => {
      const first = await tokensFor(FULL);
      const lost = await refresh("post", first.refresh_token!, withInterval(now));
      expect(lost.status).toBe(200);
      const retry = await refresh("post", first.refresh_token!, withInterval(new Date(now.getTime() + 5000)));
      expect(retry.status).toBe(200);
      expect(retry.body.refresh_token).not.toBe(lost.body.refresh_token);
      const later = withInterval(new Date(now.getTime() + 6000));
      // The lost pair is revoked; the retry's pair works, and the family is otherwise intact.
      expect((await t.db.refreshToken.findUnique({ where: { tokenHash: hashToken(lost.body.refresh_token!) } }))!.revokedAt).not.toBeNull();
      await expect(verifyOwnAccessToken(later, lost.body.access_token)).rejects.toMatchObject({ code: "invalid_token" });
      await expect(verifyOwnAccessToken(later, retry.body.access_token)).resolves.toBeTruthy();
      expect((await refresh("post", retry.body.refresh_token!, later)).status).toBe(200);
    });

    it("after the interval, or once the successor was used, or by default (0), a reuse still revokes the family", async () => {
      for (const [label, retryAfterMs, useSuccessor, seconds] of [
        ["after", 11_000, false, 10],
        ["used", 1000, true, 10],
        ["strict", 1000, false, 0],
      ] as const) {
        const first = await tokensFor(FULL);
        const second = await refresh("post", first.refresh_token!, withInterval(now, seconds));
        if (useSuccessor)
          expect((await refresh("post", second.body.refresh_token!, withInterval(new Date(now.getTime() + 500), seconds))).status).toBe(
            200,
          );
        const reuse = await refresh("post", first.refresh_token!, withInterval(new Date(now.getTime() + retryAfterMs), seconds));
        expect([label, reuse.status, reuse.body.error]).toEqual([label, 400, "invalid_grant"]);
        expect(await t.db.refreshToken.count({ where: { grantId: first.grantId, revokedAt: null } })).toBe(0);
      }
    });

    it("a second retry, or another client's, is no lost answer", async () => {
      const first = await tokensFor(FULL);
      await refresh("post", first.refresh_token!, withInterval(now));
      expect((await refresh("other", first.refresh_token!, withInterval(new Date(now.getTime() + 1000)))).body.error).toBe("invalid_grant");
      expect((await refresh("post", first.refresh_token!, withInterval(new Date(now.getTime() + 2000)))).status).toBe(200);
      expect((await refresh("post", first.refresh_token!, withInterval(new Date(now.getTime() + 3000)))).status).toBe(400);
      expect(await t.db.refreshToken.count({ where: { grantId: first.grantId, revokedAt: null } })).toBe(0);
    });
  });

  it("refuses another client's refresh token without rotating or revoking it", async () => {
    const mine = await tokensFor(FULL, "post");
    const stolen = await refresh("other", mine.refresh_token!);
    expect(stolen.status).toBe(400);
    expect(stolen.body).toEqual({ error: "invalid_grant", error_description: "The refresh token is invalid." });
    const row = (await t.db.refreshToken.findUnique({ where: { tokenHash: hashToken(mine.refresh_token!) } }))!;
    expect(row.rotatedAt).toBeNull();
    expect(row.revokedAt).toBeNull();
    expect((await refresh("post", mine.refresh_token!)).status).toBe(200);
  });

  it("refuses an expired refresh token with invalid_grant", async () => {
    const mine = await tokensFor(FULL);
    const { status, body } = await refresh("post", mine.refresh_token!, ctxAt(new Date(now.getTime() + 86_400_000 + 1000)));
    expect(status).toBe(400);
    expect(body).toEqual({ error: "invalid_grant", error_description: "The refresh token has expired." });
  });

  it("refuses an unknown refresh token", async () => {
    expect((await refresh("post", "unknown-refresh-token")).body.error).toBe("invalid_grant");
  });

  it("refuses a wider scope with invalid_scope, without rotating", async () => {
    const mine = await tokensFor("openid offline_access notes:read");
    const { status, body } = await refresh("post", mine.refresh_token!, undefined, {
      scope: "openid offline_access notes:read notes:write",
    });
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_scope");
    expect((await refresh("post", mine.refresh_token!)).status).toBe(200);
  });

  it("narrows the access token's scope on request, but keeps the refresh token's scope (RFC 6749 §6)", async () => {
    const mine = await tokensFor(FULL);
    const narrowed = await refresh("post", mine.refresh_token!, undefined, { scope: "offline_access notes:read" });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.scope).toBe("offline_access notes:read");
    expect(decodeJwt(narrowed.body.access_token).scope).toBe("offline_access notes:read");
    expect(narrowed.body.id_token).toBeUndefined();
    // "If a new refresh token is issued, the refresh token scope MUST be identical to that of the
    // refresh token included by the client in the request."
    const next = await refresh("post", narrowed.body.refresh_token!);
    expect(next.status).toBe(200);
    expect(next.body.scope).toBe(FULL);
  });

  it("still rotates to a new refresh token when the narrowed scope leaves out offline_access", async () => {
    const mine = await tokensFor(FULL);
    const narrowed = await refresh("post", mine.refresh_token!, undefined, { scope: "notes:read" });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.scope).toBe("notes:read");
    // the presented token is now rotated; without a successor the client would lose its grant
    expect(narrowed.body.refresh_token).toBeTruthy();
    expect((await refresh("post", narrowed.body.refresh_token!)).body.scope).toBe(FULL);
  });
});

describe("client authentication at the token endpoint (RFC 6749 §2.3.1, §3.2.1)", () => {
  const grant = { grant_type: "authorization_code", code: "x", redirect_uri: REDIRECT, code_verifier: "a".repeat(43) };

  it("accepts client_secret_basic for a client registered with it", async () => {
    const { code, verifier } = await newCode({ client: "basic" });
    expect((await redeem("basic", code, verifier)).status).toBe(200);
  });

  it("decodes form-urlencoded Basic credentials with ':', '+', ' ' and '%'", async () => {
    const { code, verifier } = await newCode({ client: "special" });
    expect((await redeem("special", code, verifier)).status).toBe(200);
  });

  it("accepts a public client that sends only its client_id", async () => {
    const { code, verifier } = await newCode({ client: "public", scope: "openid offline_access" });
    const { status, body } = await redeem("public", code, verifier);
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token).client_id).toBe(CLIENTS.public.id);
    expect((await refresh("public", body.refresh_token!)).status).toBe(200);
  });

  it("refuses client_secret_post from a client registered for client_secret_basic (401, no challenge)", async () => {
    const { code, verifier } = await newCode({ client: "basic" });
    const params = {
      grant_type: "authorization_code",
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
      client_id: CLIENTS.basic.id,
      client_secret: CLIENTS.basic.secret,
    };
    const { response, status, body } = await call(tokenRequest(params));
    expect(status).toBe(401);
    expect(body.error).toBe("invalid_client");
    expect(body.error_description).toBe("This client authenticates with client_secret_basic, not client_secret_post.");
    expect(response.headers.has("www-authenticate")).toBe(false);
    // client authentication comes first: the code is untouched
    expect((await redeem("basic", code, verifier)).status).toBe(200);
  });

  it("refuses client_secret_basic from a client registered for client_secret_post (401 with a Basic challenge)", async () => {
    const { response, status, body } = await call(tokenRequest(grant, { authorization: basicAuth(CLIENTS.post.id, CLIENTS.post.secret) }));
    expect(status).toBe(401);
    expect(body.error).toBe("invalid_client");
    expect(response.headers.get("www-authenticate")).toBe('Basic realm="authcode-lab", charset="UTF-8"');
  });

  it("refuses both Basic and a body client_secret with invalid_request", async () => {
    const { status, body } = await call(
      tokenRequest({ ...grant, client_secret: CLIENTS.basic.secret }, { authorization: basicAuth(CLIENTS.basic.id, CLIENTS.basic.secret) }),
    );
    expect(status).toBe(400);
    expect(body).toEqual({ error: "invalid_request", error_description: "Use one client authentication method, not two." });
  });

  it("refuses a body client_id that differs from the Basic one with invalid_request", async () => {
    const { status, body } = await call(
      tokenRequest({ ...grant, client_id: CLIENTS.other.id }, { authorization: basicAuth(CLIENTS.basic.id, CLIENTS.basic.secret) }),
    );
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
  });

  it("refuses a wrong secret with invalid_client 401 (post and basic)", async () => {
    const post = await call(tokenRequest({ ...grant, client_id: CLIENTS.post.id, client_secret: `${CLIENTS.post.secret}x` }));
    expect(post.status).toBe(401);
    expect(post.body).toEqual({ error: "invalid_client", error_description: "Client authentication failed." });
    expect(post.response.headers.has("www-authenticate")).toBe(false);

    const basic = await call(tokenRequest(grant, { authorization: basicAuth(CLIENTS.basic.id, "wrong") }));
    expect(basic.status).toBe(401);
    expect(basic.body.error).toBe("invalid_client");
    expect(basic.response.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
  });

  it("refuses another client's secret", async () => {
    const { status, body } = await call(tokenRequest({ ...grant, client_id: CLIENTS.post.id, client_secret: CLIENTS.other.secret }));
    expect(status).toBe(401);
    expect(body.error).toBe("invalid_client");
  });

  it("refuses a confidential client that sends only its client_id", async () => {
    const { status, body } = await call(tokenRequest({ ...grant, client_id: CLIENTS.post.id }));
    expect(status).toBe(401);
    expect(body.error).toBe("invalid_client");
    expect(body.error_description).toBe("This client authenticates with client_secret_post, not none.");
  });

  it("refuses a public client that sends a client_secret", async () => {
    const { status, body } = await call(tokenRequest({ ...grant, client_id: CLIENTS.public.id, client_secret: "anything" }));
    expect(status).toBe(401);
    expect(body.error).toBe("invalid_client");
  });

  it("refuses an unknown client, and a request with no client at all", async () => {
    const unknown = await call(tokenRequest({ ...grant, client_id: "nobody", client_secret: "x" }));
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ error: "invalid_client", error_description: "Client authentication failed." });
    const none = await call(tokenRequest(grant));
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: "invalid_client", error_description: "Client authentication is required." });
  });

  it.each([
    ["a Bearer token", "Bearer abc"],
    ["no colon", `Basic ${Buffer.from("conf-basic").toString("base64")}`],
    ["bad base64", "Basic !!!"],
    ["an empty id", `Basic ${Buffer.from(":secret").toString("base64")}`],
    ["bad percent-encoding", `Basic ${Buffer.from("conf-basic:%E0%A4%A").toString("base64")}`],
  ])("refuses a malformed Authorization header (%s) with invalid_client and a Basic challenge", async (_label, authorization) => {
    const { response, status, body } = await call(tokenRequest(grant, { authorization }));
    expect(status).toBe(401);
    expect(body.error).toBe("invalid_client");
    expect(response.headers.get("www-authenticate")).toMatch(/^Basic /);
  });

  it("records a flow event for a failed client authentication", async () => {
    const before = await t.db.flowEvent.count({ where: { name: "Client authentication failed" } });
    await call(tokenRequest({ ...grant, client_id: "nobody", client_secret: "x" }));
    expect(await t.db.flowEvent.count({ where: { name: "Client authentication failed" } })).toBe(before + 1);
  });

  it("records it in the run of the code or refresh token presented, so the run shows why it stopped", async () => {
    const { code, verifier, row } = await newCode();
    const wrongSecret = {
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: CLIENTS.post.id,
      client_secret: "wrong",
    };
    expect((await call(tokenRequest(wrongSecret))).status).toBe(401);
    expect(await t.db.flowEvent.count({ where: { correlationId: row.correlationId, name: "Client authentication failed" } })).toBe(1);
    const tokens = await tokensFor();
    const grant = await t.db.authorizationCode.findUnique({ where: { id: tokens.grantId } });
    expect(
      (
        await call(
          tokenRequest({
            grant_type: "refresh_token",
            refresh_token: tokens.refresh_token!,
            client_id: CLIENTS.post.id,
            client_secret: "wrong",
          }),
        )
      ).status,
    ).toBe(401);
    expect(await t.db.flowEvent.count({ where: { correlationId: grant!.correlationId, name: "Client authentication failed" } })).toBe(1);
  });
});

describe("token endpoint: request shape", () => {
  it("refuses an unsupported grant_type with unsupported_grant_type", async () => {
    for (const grantType of ["password", "client_credentials", "implicit", "urn:ietf:params:oauth:grant-type:device_code"]) {
      const { params } = authFor("post", { grant_type: grantType });
      const { status, body } = await call(tokenRequest(params));
      expect(status).toBe(400);
      expect(body).toEqual({ error: "unsupported_grant_type", error_description: `grant_type ${grantType} is not supported.` });
    }
  });

  it("refuses Object.prototype names as grant types with unsupported_grant_type, not a server error", async () => {
    for (const grantType of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
      const { params } = authFor("post", { grant_type: grantType });
      const { status, body } = await call(tokenRequest(params));
      expect(status).toBe(400);
      expect(body.error).toBe("unsupported_grant_type");
    }
  });

  it("requires grant_type (invalid_request)", async () => {
    const { params } = authFor("post", {});
    const { status, body } = await call(tokenRequest(params));
    expect(status).toBe(400);
    expect(body).toEqual({ error: "invalid_request", error_description: "The grant_type parameter is required." });
  });

  it("refuses a repeated parameter with invalid_request", async () => {
    const body = `grant_type=authorization_code&grant_type=refresh_token&client_id=${CLIENTS.public.id}`;
    const request = new Request(TOKEN_URL, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
    const result = await call(request);
    expect(result.status).toBe(400);
    expect(result.body).toEqual({ error: "invalid_request", error_description: "The grant_type parameter is repeated." });
  });

  it("refuses GET with 405 and Allow: POST", async () => {
    const { response, status, body } = await call(new Request(`${TOKEN_URL}?grant_type=authorization_code`, { method: "GET" }));
    expect(status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(body.error).toBe("invalid_request");
  });

  it("refuses a JSON body with invalid_request", async () => {
    const request = new Request(TOKEN_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ grant_type: "authorization_code" }),
    });
    const { status, body } = await call(request);
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
  });

  it("refuses an oversized body with 413", async () => {
    const { status } = await call(tokenRequest({ grant_type: "authorization_code", padding: "x".repeat(70_000) }));
    expect(status).toBe(413);
  });
});

describe("tokens of a grant revoked while they are issued (RFC 9700 §4.14.2)", () => {
  const issue = async (grantId: string, correlationId: string) => {
    const client = (await findClient(t.db, CLIENTS.basic.id))!;
    return issueTokens(
      testContext(t.db, now),
      client,
      { grantId, correlationId, userId, scope: "openid offline_access", authTime: now },
      { idToken: false },
    );
  };
  const grantTokens = async (grantId: string) => [
    ...(await t.db.accessToken.findMany({ where: { grantId } })),
    ...(await t.db.refreshToken.findMany({ where: { grantId } })),
  ];
  const newGrant = async () =>
    (
      await insertCode(t.db, {
        clientId: CLIENTS.basic.id,
        userId,
        redirectUri: REDIRECT,
        scope: "openid offline_access",
        codeChallenge: pkcePair().challenge,
        expiresAt: new Date(now.getTime() + 60_000),
      })
    ).row;

  it("are revoked too when the revocation came first: the rows' transaction reads the grant's mark", async () => {
    const grant = await newGrant();
    await revokeGrant(testContext(t.db, now), grant.id);
    const tokens = await issue(grant.id, grant.correlationId);
    expect(tokens.refresh_token).toBeDefined();
    const rows = await grantTokens(grant.id);
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.revokedAt === null)).toEqual([]);
  });

  it("are revoked whichever runs first when a revocation and an issuance run at once", async () => {
    for (let round = 0; round < 10; round++) {
      const grant = await newGrant();
      await issue(grant.id, grant.correlationId);
      await Promise.all([revokeGrant(testContext(t.db, now), grant.id), issue(grant.id, grant.correlationId)]);
      const rows = await grantTokens(grant.id);
      expect(rows).toHaveLength(4);
      expect(rows.filter((r) => r.revokedAt === null)).toEqual([]);
    }
  });
});

describe("DPoP at the token endpoint (RFC 9449 §5)", () => {
  const DPOP_URL = `${ISSUER}/oauth/token`;
  const noNonce = () => testContext(t.db, new Date(), testConfig({ DPOP_NONCE: "off" }));
  let keys: CryptoKeyPair;
  let jkt: string;

  beforeAll(async () => {
    keys = (await generateKeyPair("ES256")) as CryptoKeyPair;
    jkt = await calculateJwkThumbprint(await exportJWK(keys.publicKey), "sha256");
  });

  async function proof(pair: CryptoKeyPair = keys, claims: Record<string, unknown> = {}) {
    return new SignJWT({ htm: "POST", htu: DPOP_URL, iat: Math.floor(Date.now() / 1000), jti: randomToken(12), ...claims })
      .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: await exportJWK(pair.publicKey) })
      .sign(pair.privateKey);
  }

  /** A token request of `name` with a DPoP header. */
  async function withProof(name: ClientName, params: Record<string, string>, dpop: string, ctx: Context = noNonce()) {
    const { params: p, authorization } = authFor(name, params);
    const request = tokenRequest(p, { authorization });
    request.headers.set("DPoP", dpop);
    return call(request, ctx);
  }

  const codeParams = (code: string, verifier: string) => ({
    grant_type: "authorization_code",
    code,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
  });

  it("binds a public client's access and refresh tokens to the key; a refresh with another key or none is refused and rotates nothing", async () => {
    const { code, verifier, row } = await newCode({ client: "public" });
    const { status, body } = await withProof("public", codeParams(code, verifier), await proof());
    expect(status).toBe(200);
    expect(body.token_type).toBe("DPoP");
    expect(decodeJwt(body.access_token).cnf).toEqual({ jkt });
    expect(await t.db.accessToken.findMany({ where: { grantId: row.id }, select: { jkt: true } })).toEqual([{ jkt }]);
    expect(await t.db.refreshToken.findMany({ where: { grantId: row.id }, select: { jkt: true } })).toEqual([{ jkt }]);

    const other = (await generateKeyPair("ES256")) as CryptoKeyPair;
    const stolen = await withProof("public", { grant_type: "refresh_token", refresh_token: body.refresh_token! }, await proof(other));
    expect(stolen).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const bare = await refresh("public", body.refresh_token!, noNonce());
    expect(bare).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await t.db.refreshToken.findUnique({ where: { tokenHash: hashToken(body.refresh_token!) } })).toMatchObject({
      rotatedAt: null,
      revokedAt: null,
    });

    const refreshed = await withProof("public", { grant_type: "refresh_token", refresh_token: body.refresh_token! }, await proof());
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.token_type).toBe("DPoP");
    expect(await t.db.refreshToken.findUnique({ where: { tokenHash: hashToken(refreshed.body.refresh_token!) } })).toMatchObject({ jkt });
  });

  it("binds a confidential client's access token only: its refresh token is not bound", async () => {
    const { code, verifier, row } = await newCode({ client: "post" });
    const { status, body } = await withProof("post", codeParams(code, verifier), await proof());
    expect(status).toBe(200);
    expect(await t.db.accessToken.findMany({ where: { grantId: row.id }, select: { jkt: true } })).toEqual([{ jkt }]);
    expect(await t.db.refreshToken.findMany({ where: { grantId: row.id }, select: { jkt: true } })).toEqual([{ jkt: null }]);
    const bare = await refresh("post", body.refresh_token!, noNonce());
    expect(bare.status).toBe(200);
    expect(bare.body.token_type).toBe("Bearer");
  });

  it("an invalid proof is invalid_dpop_proof, and the code stays unspent", async () => {
    const { code, verifier, row } = await newCode({ client: "public" });
    const result = await withProof("public", codeParams(code, verifier), await proof(keys, { htu: "http://localhost:3000/elsewhere" }));
    expect(result).toMatchObject({ status: 400, body: { error: "invalid_dpop_proof" } });
    expect((await t.db.authorizationCode.findUnique({ where: { id: row.id } }))?.consumedAt).toBeNull();
  });

  it("asks for the server's nonce when nonces are on (use_dpop_nonce, DPoP-Nonce), and accepts the retry", async () => {
    await getKeys(t.db);
    const { code, verifier } = await newCode({ client: "public" });
    const first = await withProof("public", codeParams(code, verifier), await proof(), ctxAt(new Date()));
    expect(first).toMatchObject({ status: 400, body: { error: "use_dpop_nonce" } });
    const nonce = first.response.headers.get("dpop-nonce");
    expect(nonce).toMatch(/^[\w-]{43}$/);
    const retry = await withProof("public", codeParams(code, verifier), await proof(keys, { nonce }), ctxAt(new Date()));
    expect(retry.status).toBe(200);
    expect(retry.response.headers.get("dpop-nonce")).toBe(nonce);
  });

  it("a code bound with dpop_jkt needs a proof of that key", async () => {
    const { code, verifier, row } = await newCode({ client: "public" });
    await t.db.authorizationCode.update({ where: { id: row.id }, data: { dpopJkt: jkt } });
    const other = (await generateKeyPair("ES256")) as CryptoKeyPair;
    const result = await withProof("public", codeParams(code, verifier), await proof(other));
    expect(result).toMatchObject({ status: 400, body: { error: "invalid_grant", error_description: expect.stringMatching(/dpop_jkt/) } });
  });

  it("a client registered with dpop_bound_access_tokens must send a proof", async () => {
    await t.db.client.update({ where: { id: CLIENTS.other.id }, data: { dpopBound: true } });
    forgetCachedClients(t.db);
    const { code, verifier } = await newCode({ client: "other" });
    const result = await redeem("other", code, verifier, noNonce());
    expect(result).toMatchObject({ status: 400, body: { error: "invalid_dpop_proof" } });
    const withKey = await withProof("other", codeParams(code, verifier), await proof());
    expect(withKey.status).toBe(200);
  });
});
