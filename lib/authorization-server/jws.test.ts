import { createPrivateKey, type JsonWebKey } from "node:crypto";
import { decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { signEs256 } from "./jws";

describe("signEs256", () => {
  it("produces a compact JWS that jose verifies with the public key (RFC 7515 §7.1, RFC 7518 §3.4)", async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    const key = createPrivateKey({ key: (await exportJWK(privateKey)) as JsonWebKey, format: "jwk" });
    const token = signEs256(
      { typ: "at+jwt", kid: "k1" },
      { iss: "https://as.example", sub: "u1", aud: "https://api.example", iat: 1, exp: 4_000_000_000, jti: "j1" },
      key,
    );

    expect(token.split(".")).toHaveLength(3);
    expect(decodeProtectedHeader(token)).toEqual({ alg: "ES256", typ: "at+jwt", kid: "k1" });
    // R‖S: 64 bytes, not DER.
    expect(Buffer.from(token.split(".")[2], "base64url")).toHaveLength(64);
    const { payload } = await jwtVerify(token, publicKey, {
      algorithms: ["ES256"],
      typ: "at+jwt",
      issuer: "https://as.example",
      audience: "https://api.example",
    });
    expect(payload).toEqual({ iss: "https://as.example", sub: "u1", aud: "https://api.example", iat: 1, exp: 4_000_000_000, jti: "j1" });
  });

  it("signs differently each time (ECDSA's random k) and a changed payload no longer verifies", async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    const key = createPrivateKey({ key: (await exportJWK(privateKey)) as JsonWebKey, format: "jwk" });
    const a = signEs256({ typ: "JWT", kid: "k" }, { sub: "u" }, key);
    const b = signEs256({ typ: "JWT", kid: "k" }, { sub: "u" }, key);
    expect(a).not.toBe(b);
    const [h, , s] = a.split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: "admin" })).toString("base64url")}.${s}`;
    await expect(jwtVerify(forged, publicKey)).rejects.toThrow();
  });
});
