import { createLocalJWKSet, jwtVerify, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/support/db";
import { getKeys, rotateSigningKey } from "./keys";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  await t?.close();
});

describe("signing keys", () => {
  it("getKeys creates a key on first use, then returns the same cached key", async () => {
    expect(await t.db.signingKey.count()).toBe(0);
    const first = await getKeys(t.db);
    expect(await t.db.signingKey.count()).toBe(1);
    const row = (await t.db.signingKey.findFirst())!;
    expect(first.signing.kid).toBe(row.kid);
    expect(row.alg).toBe("ES256");
    expect(row.retiredAt).toBeNull();

    const second = await getKeys(t.db);
    expect(second.signing.kid).toBe(first.signing.kid);
    expect(second).toBe(first);
    expect(await t.db.signingKey.count()).toBe(1);
  });

  it("publishes only public members in the JWKS", async () => {
    const { jwks, signing, verifying } = await getKeys(t.db);
    expect(jwks.keys).toHaveLength(1);
    const [jwk] = jwks.keys;
    expect(jwk).toMatchObject({ kty: "EC", crv: "P-256", kid: signing.kid, alg: "ES256", use: "sig" });
    expect(typeof jwk.x).toBe("string");
    expect(typeof jwk.y).toBe("string");
    expect(jwk).not.toHaveProperty("d");
    expect(verifying.has(signing.kid)).toBe(true);
  });

  it("rotateSigningKey publishes the new key at once, signs with it from activation, and keeps the old one published", async () => {
    const now = new Date();
    const before = await getKeys(t.db, { now });
    const oldKid = before.signing.kid;
    const oldToken = await new SignJWT({ a: 1 }).setProtectedHeader({ alg: "ES256", kid: oldKid }).sign(before.signing.key);

    const { kid: newKid, activatesAt } = await rotateSigningKey(t.db, 3600, now, 120);
    expect(newKid).not.toBe(oldKid);
    expect(activatesAt).toEqual(new Date(now.getTime() + 120_000));

    // Published ahead: verifiers learn the new key before any token carries its kid; the old key still signs.
    const ahead = await getKeys(t.db, { now: new Date(now.getTime() + 1_000) });
    expect(ahead.signing.kid).toBe(oldKid);
    expect(ahead.jwks.keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
    expect(ahead.validUntil).toBeLessThanOrEqual(activatesAt.getTime());

    // From activation on, the new key signs and the old one is still published.
    const after = await getKeys(t.db, { now: activatesAt });
    expect(after.signing.kid).toBe(newKid);
    expect(after.jwks.keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
    for (const jwk of after.jwks.keys) expect(jwk).not.toHaveProperty("d");
    expect(after.verifying.has(oldKid)).toBe(true);

    const oldRow = (await t.db.signingKey.findUnique({ where: { kid: oldKid } }))!;
    expect(oldRow.retiredAt).toEqual(activatesAt);
    expect(oldRow.expiresAt).toEqual(new Date(activatesAt.getTime() + 3_600_000));
    expect((await t.db.signingKey.findUnique({ where: { kid: newKid } }))!.retiredAt).toBeNull();

    // a token signed before the rotation still verifies against the published JWKS
    const { protectedHeader } = await jwtVerify(oldToken, createLocalJWKSet(after.jwks));
    expect(protectedHeader.kid).toBe(oldKid);
    // and a new one is signed by the new key
    const newToken = await new SignJWT({ a: 2 }).setProtectedHeader({ alg: "ES256", kid: after.signing.kid }).sign(after.signing.key);
    expect((await jwtVerify(newToken, createLocalJWKSet(after.jwks))).protectedHeader.kid).toBe(newKid);
  });

  it("drops a retired key from the JWKS once its publication period is over", async () => {
    // A database of its own: the rotation above left a key that activates in the future.
    const own = await createTestDatabase();
    const current = (await getKeys(own.db, { now: new Date(Date.now() - 10_800_000) })).signing.kid;
    // rotated two hours ago, published for one hour after the new key activated: already gone
    const { kid: newest } = await rotateSigningKey(own.db, 3600, new Date(Date.now() - 7_200_000));
    const keys = await getKeys(own.db);
    await own.close();
    expect(keys.signing.kid).toBe(newest);
    const kids = keys.jwks.keys.map((k) => k.kid);
    expect(kids).toContain(newest);
    expect(kids).not.toContain(current);
    expect(keys.verifying.has(current)).toBe(false);
  });
});
