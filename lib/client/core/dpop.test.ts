import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { accessTokenHash, decodeProof, dpopProof, newDpopKey, nonceAskedFor, sendWithDpop } from "./dpop";

describe("the client's DPoP proofs (RFC 9449 §4.2)", () => {
  const now = new Date("2026-12-04T12:00:00Z");

  it("a proof verifies with the key in its header, names the request, and carries ath and nonce when given", async () => {
    const key = await newDpopKey();
    expect(key.privateJwk.d).toBeTruthy();
    expect(key.publicJwk.d).toBeUndefined();
    expect(key.thumbprint).toBe(await calculateJwkThumbprint(key.publicJwk));
    const proof = await dpopProof(key, { method: "GET", url: "https://api.example/api/me?x=1#f", accessToken: "token", nonce: "n1" }, now);
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: ["ES256"], currentDate: now });
    expect(protectedHeader.jwk).toEqual(key.publicJwk);
    expect(payload).toMatchObject({ htm: "GET", htu: "https://api.example/api/me", iat: now.getTime() / 1000, nonce: "n1" });
    expect(payload.ath).toBe(accessTokenHash("token"));
    expect(payload.ath).toBe("PEaenWxYddN6Q_NT1PiOYfz4EsZu7jRXRlpAsNpBU-A");
    expect(typeof payload.jti).toBe("string");
    const second = await dpopProof(key, { method: "GET", url: "https://api.example/api/me" }, now);
    expect(decodeProof(second)!.payload.jti).not.toBe(payload.jti);
    expect(decodeProof(second)!.payload).not.toHaveProperty("ath");
    expect(decodeProof("not a jwt")).toBeUndefined();
  });

  it("reads the nonce a server asks for: 400 use_dpop_nonce at the token endpoint, a DPoP challenge at the API", () => {
    const withNonce = (extra: Record<string, string> = {}) => new Headers({ "DPoP-Nonce": "n2", ...extra });
    expect(nonceAskedFor(400, { error: "use_dpop_nonce" }, withNonce())).toBe("n2");
    expect(nonceAskedFor(401, undefined, withNonce({ "WWW-Authenticate": 'DPoP error="use_dpop_nonce", algs="ES256"' }))).toBe("n2");
    expect(nonceAskedFor(400, { error: "invalid_dpop_proof" }, withNonce())).toBeUndefined();
    expect(nonceAskedFor(401, undefined, withNonce({ "WWW-Authenticate": 'DPoP error="invalid_token"' }))).toBeUndefined();
    expect(nonceAskedFor(400, { error: "use_dpop_nonce" }, new Headers())).toBeUndefined();
    expect(nonceAskedFor(200, {}, withNonce())).toBeUndefined();
  });
});

describe("sendWithDpop (RFC 9449 §8, §9)", () => {
  it("sends once with a fresh proof; asked for a nonce, once more with it; keeps the newest nonce by origin", async () => {
    const key = await newDpopKey();
    const nonces: Record<string, string> = {};
    const sent: { nonce?: unknown; retry: boolean; jti: unknown }[] = [];
    const answers = [
      { status: 400, body: { error: "use_dpop_nonce" }, headers: new Headers({ "DPoP-Nonce": "n1" }) },
      { status: 200, body: {}, headers: new Headers({ "DPoP-Nonce": "n2" }) },
    ];
    const request = { method: "POST", url: "https://as.example/oauth/token" };
    const answer = await sendWithDpop(
      key,
      nonces,
      request,
      () => new Date(),
      async (proof, retry) => {
        const { nonce, jti } = decodeProof(proof)!.payload;
        sent.push({ nonce, retry, jti });
        return answers.shift()!;
      },
    );
    expect(answer.status).toBe(200);
    expect(sent.map(({ nonce, retry }) => ({ nonce, retry }))).toEqual([
      { nonce: undefined, retry: false },
      { nonce: "n1", retry: true },
    ]);
    expect(sent[0].jti).not.toBe(sent[1].jti);
    expect(nonces).toEqual({ "https://as.example": "n2" });
    // Not asked again: one try, with the nonce kept.
    await sendWithDpop(
      key,
      nonces,
      request,
      () => new Date(),
      async (proof, retry) => {
        expect(decodeProof(proof)!.payload.nonce).toBe("n2");
        expect(retry).toBe(false);
        return { status: 200, body: {}, headers: new Headers() };
      },
    );
  });
});
