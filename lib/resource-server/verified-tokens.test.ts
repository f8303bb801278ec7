import { createLocalJWKSet, type JWK, type JWTVerifyGetKey } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, seedUser, testConfig, testContext, type TestDatabase } from "../../test/support/db";
import type { ResourceServerContext } from "./context";
import { listNotes } from "./notes";
import { serveProtected } from "./protected-resource";
import { apiRequest, bearer, mintAccessToken, recordIssued, testKeys, type TestKeys } from "./test-helpers";
import { cachedClaims, MAX_VERIFIED_TOKENS, rememberClaims, verifiedTokenHits } from "./verified-tokens";
import { verifyAccessToken } from "./verify-access-token";
import { accessTokenRecordsIn } from "../records/access-token";

/** The API's cache of verified access tokens (issue: verify a token once): what it saves and what it never does. */

let t: TestDatabase;
let keys: TestKeys;
let alice: string;
/** The published keys, changeable in place: one key source, as the app's remote JWKS is. */
let published: JWK[];
let source: JWTVerifyGetKey;

beforeAll(async () => {
  t = await createTestDatabase();
  keys = await testKeys();
  alice = (await seedUser(t.db, "alice")).id;
  published = [...keys.jwks.keys];
  source = (header, token) => createLocalJWKSet({ keys: published })(header, token);
});
afterAll(async () => {
  await t?.close();
});

const ctx = (now = new Date()): ResourceServerContext => ({
  ...testContext(t.db, now),
  now,
  keys: source,
  tokenRecords: accessTokenRecordsIn(t.db),
  introspect: async () => {
    throw new Error("not configured");
  },
  dpop: { nonceKey: null, remember: async () => true },
});

async function issued() {
  const minted = await mintAccessToken(keys, alice, "notes:read");
  await recordIssued(t.db, minted.jti, alice, "notes:read");
  return minted;
}

const call = async (token: string, c = ctx()) =>
  (await serveProtected(apiRequest("/api/notes", { headers: bearer(token) }), c, listNotes)).status;

describe("verified access tokens, cached until exp", () => {
  it("verifies a token's signature once: the next request with it is answered from the cache", async () => {
    const { token } = await issued();
    const before = verifiedTokenHits();
    expect(await call(token)).toBe(200);
    expect(verifiedTokenHits()).toBe(before);
    expect(await call(token)).toBe(200);
    expect(await call(token)).toBe(200);
    expect(verifiedTokenHits()).toBe(before + 2);
  });

  it("answers parallel requests with one cached token from the cache, every one of them", async () => {
    const { token } = await issued();
    expect(await call(token)).toBe(200);
    const before = verifiedTokenHits();
    expect(await Promise.all(Array.from({ length: 10 }, () => call(token)))).toEqual(Array(10).fill(200));
    expect(verifiedTokenHits()).toBe(before + 10);
  });

  it("still checks revocation on every request: a revoked token is refused on its next request while cached", async () => {
    const { token, jti } = await issued();
    expect(await call(token)).toBe(200);
    await t.db.accessToken.update({ where: { jti }, data: { revokedAt: new Date() } });
    expect(await call(token)).toBe(401);
  });

  it("never outlives the token's exp: past it the token is verified in full (30 s of skew, then refused)", async () => {
    const { token, exp } = await issued();
    expect(await call(token)).toBe(200);
    const hits = verifiedTokenHits();
    await expect(verifyAccessToken(token, ctx(new Date(exp * 1000 + 1000)))).resolves.toBeTruthy(); // within the skew, verified again
    expect(verifiedTokenHits()).toBe(hits);
    await expect(verifyAccessToken(token, ctx(new Date(exp * 1000 + 31_000)))).rejects.toMatchObject({ check: "exp" });
  });

  it("never outlives its key: a kid no longer published makes the cached token fail", async () => {
    const { token } = await issued();
    expect(await call(token)).toBe(200);
    published = [];
    try {
      await expect(verifyAccessToken(token, ctx())).rejects.toMatchObject({ check: "kid" });
    } finally {
      published = [...keys.jwks.keys];
    }
    expect(await call(token)).toBe(200);
  });

  it("keeps another audience's checks apart", async () => {
    const { token } = await issued();
    expect(await call(token)).toBe(200);
    const other: ResourceServerContext = { ...ctx(), config: testConfig({ API_AUDIENCE: "https://other.example/api" }) };
    await expect(verifyAccessToken(token, other)).rejects.toMatchObject({ check: "aud" });
  });

  it("stays bounded: past MAX_VERIFIED_TOKENS the least recently used entry goes", async () => {
    const resolver: JWTVerifyGetKey = (header, token) => createLocalJWKSet(keys.jwks)(header, token);
    const claims = (i: number) => ({ iss: "i", sub: "s", client_id: "c", jti: String(i), exp: Math.floor(Date.now() / 1000) + 300 });
    for (let i = 0; i < MAX_VERIFIED_TOKENS; i++) rememberClaims(resolver, `token-${i}`, "i", "a", keys.kid, claims(i));
    expect(await cachedClaims(resolver, "token-0", "i", "a", new Date())).toMatchObject({ jti: "0" }); // used: now the newest
    rememberClaims(resolver, "one-more", "i", "a", keys.kid, claims(-1));
    expect(await cachedClaims(resolver, "token-0", "i", "a", new Date())).toBeDefined();
    expect(await cachedClaims(resolver, "token-1", "i", "a", new Date())).toBeUndefined();
  });
});
