import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { constantTimeEqual, DUMMY_PASSWORD_HASH, hashPassword, hashToken, randomToken, verifyPassword } from "./crypto";

describe("hashPassword / verifyPassword (scrypt)", () => {
  it("round-trips, and refuses a wrong password", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", hash)).toBe(false);
    expect(await verifyPassword("Correct horse battery staple", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("salts: the same password hashes differently twice, and both verify", async () => {
    const [a, b] = await Promise.all([hashPassword("pw-123456"), hashPassword("pw-123456")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("pw-123456", a)).toBe(true);
    expect(await verifyPassword("pw-123456", b)).toBe(true);
  });

  it("normalises to NFC: a decomposed é verifies against a composed one", async () => {
    const hash = await hashPassword("caf\u00e9-password");
    expect(await verifyPassword("cafe\u0301-password", hash)).toBe(true);
  });

  it("DUMMY_PASSWORD_HASH is well-formed and verifies false without throwing", async () => {
    expect(DUMMY_PASSWORD_HASH.split("$")).toHaveLength(6);
    await expect(verifyPassword("", DUMMY_PASSWORD_HASH)).resolves.toBe(false);
    await expect(verifyPassword("alice-demo-password", DUMMY_PASSWORD_HASH)).resolves.toBe(false);
  });

  it("DUMMY_PASSWORD_HASH costs a real scrypt (same parameters as a real hash)", async () => {
    const real = (await hashPassword("x")).split("$").slice(0, 4);
    expect(DUMMY_PASSWORD_HASH.split("$").slice(0, 4)).toEqual(real);
  });

  it("returns false for a hash of another kind or with missing parts", async () => {
    expect(await verifyPassword("pw", "bcrypt$2b$10$abc")).toBe(false);
    expect(await verifyPassword("pw", "scrypt$16384$8$1$$")).toBe(false);
    expect(await verifyPassword("pw", "")).toBe(false);
  });
});

describe("hashToken", () => {
  it("is base64url SHA-256", () => {
    expect(hashToken("abc")).toBe(createHash("sha256").update("abc").digest("base64url"));
    expect(hashToken("abc")).toBe("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
  });
});

describe("constantTimeEqual", () => {
  it("compares strings exactly, whatever their lengths", () => {
    expect(constantTimeEqual("secret", "secret")).toBe(true);
    expect(constantTimeEqual("secret", "Secret")).toBe(false);
    expect(constantTimeEqual("secret", "secret2")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
    expect(constantTimeEqual("", "a")).toBe(false);
    expect(constantTimeEqual("a".repeat(1000), "a".repeat(999))).toBe(false);
  });
});

describe("randomToken", () => {
  it("is base64url of 32 random bytes by default (43 characters)", () => {
    const t = randomToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(t, "base64url")).toHaveLength(32);
  });

  it("takes the byte count", () => {
    expect(randomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(randomToken(12), "base64url")).toHaveLength(12);
    expect(Buffer.from(randomToken(64), "base64url")).toHaveLength(64);
  });

  it("does not repeat, and uses the whole alphabet", () => {
    const tokens = Array.from({ length: 2000 }, () => randomToken());
    expect(new Set(tokens).size).toBe(tokens.length);
    const alphabet = new Set(tokens.join(""));
    // 2000 × 43 characters over a 64-character alphabet: every character shows up
    expect(alphabet.size).toBe(64);
  });

  it("has roughly uniform bits (no constant bytes)", () => {
    const bytes = Buffer.concat(Array.from({ length: 256 }, () => Buffer.from(randomToken(), "base64url")));
    let ones = 0;
    for (const byte of bytes) for (let i = 0; i < 8; i++) ones += (byte >> i) & 1;
    const ratio = ones / (bytes.length * 8);
    // 65,536 bits: a fair source is within 0.5 ± 0.02 far beyond any realistic chance of failing
    expect(ratio).toBeGreaterThan(0.48);
    expect(ratio).toBeLessThan(0.52);
  });
});
