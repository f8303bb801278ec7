import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../crypto";
import { DPOP_IAT_WINDOW_SECONDS, DPOP_NONCE_PERIOD_SECONDS, dpopNonce, isCurrentNonce, verifyDpopProof, type DpopServices } from "./dpop";
import { OAuthError } from "./errors";

const NOW = new Date("2026-12-05T10:00:00Z");
const IAT = Math.floor(NOW.getTime() / 1000);
const URL_ = "https://as.example/oauth/token";
const KEY = new Uint8Array(32).fill(7);

let privateKey: CryptoKey;
let jwk: JWK;

beforeAll(async () => {
  const pair = await generateKeyPair("ES256", { extractable: true });
  privateKey = pair.privateKey;
  jwk = await exportJWK(pair.publicKey);
});

type Options = {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  key?: CryptoKey;
  alg?: string;
};

let counter = 0;
async function proof({ header = {}, claims = {}, key, alg = "ES256" }: Options = {}): Promise<string> {
  return new SignJWT({ htm: "POST", htu: URL_, iat: IAT, jti: `jti-${++counter}`, nonce: dpopNonce(KEY, NOW), ...claims })
    .setProtectedHeader({ alg, typ: "dpop+jwt", jwk, ...header } as never)
    .sign(key ?? privateKey);
}

function services(nonces = true): DpopServices & { seen: Set<string> } {
  const seen = new Set<string>();
  return {
    seen,
    nonceKey: nonces ? async () => KEY : null,
    remember: async (id) => (seen.has(id) ? false : (seen.add(id), true)),
  };
}

const request = (dpop: string | string[] | undefined, extra: { method?: string; url?: string; accessToken?: string } = {}) => {
  const headers = new Headers();
  for (const value of [dpop ?? []].flat()) headers.append("DPoP", value);
  return { headers, method: extra.method ?? "POST", url: extra.url ?? URL_, accessToken: extra.accessToken };
};

async function refusal(promise: Promise<unknown>): Promise<OAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OAuthError);
  return error as OAuthError;
}

describe("verifyDpopProof (RFC 9449 §4.3)", () => {
  it("accepts a valid proof and returns its key's RFC 7638 thumbprint", async () => {
    const result = await verifyDpopProof(request(await proof()), services(), NOW);
    expect(result?.jkt).toBe(await calculateJwkThumbprint(jwk, "sha256"));
  });

  it("is undefined without a DPoP header", async () => {
    expect(await verifyDpopProof(request(undefined), services(), NOW)).toBeUndefined();
  });

  it("refuses two DPoP headers", async () => {
    const e = await refusal(verifyDpopProof(request([await proof(), await proof()]), services(), NOW));
    expect(e.code).toBe("invalid_dpop_proof");
    expect(e.description).toMatch(/exactly one/);
  });

  it("refuses what is not a JWT", async () => {
    expect((await refusal(verifyDpopProof(request("not-a-jwt"), services(), NOW))).code).toBe("invalid_dpop_proof");
  });

  it("refuses another typ", async () => {
    const e = await refusal(verifyDpopProof(request(await proof({ header: { typ: "JWT" } })), services(), NOW));
    expect(e.description).toMatch(/typ/);
  });

  it("refuses an alg other than ES256", async () => {
    const { privateKey: rsa, publicKey } = await generateKeyPair("PS256", { extractable: true });
    const rsaJwk = await exportJWK(publicKey);
    const e = await refusal(verifyDpopProof(request(await proof({ alg: "PS256", key: rsa, header: { jwk: rsaJwk } })), services(), NOW));
    expect(e.description).toMatch(/alg must be ES256/);
  });

  it("refuses a proof without its jwk", async () => {
    const e = await refusal(verifyDpopProof(request(await proof({ header: { jwk: undefined } })), services(), NOW));
    expect(e.description).toMatch(/jwk/);
  });

  it("refuses a jwk with private members", async () => {
    const privateJwk = await exportJWK(privateKey);
    const e = await refusal(verifyDpopProof(request(await proof({ header: { jwk: privateJwk } })), services(), NOW));
    expect(e.description).toMatch(/public key/);
  });

  it("refuses a signature by another key than the jwk's", async () => {
    const other = await generateKeyPair("ES256");
    const e = await refusal(verifyDpopProof(request(await proof({ key: other.privateKey })), services(), NOW));
    expect(e.description).toMatch(/signature/);
  });

  for (const claim of ["jti", "htm", "htu", "iat"]) {
    it(`refuses a proof without ${claim}`, async () => {
      const e = await refusal(verifyDpopProof(request(await proof({ claims: { [claim]: undefined } })), services(), NOW));
      expect(e.code).toBe("invalid_dpop_proof");
    });
  }

  it("refuses a jti that is not a string, or is too long", async () => {
    for (const jti of [42, "", "x".repeat(257)]) {
      const e = await refusal(verifyDpopProof(request(await proof({ claims: { jti } })), services(), NOW));
      expect(e.code).toBe("invalid_dpop_proof");
    }
  });

  it("refuses htm other than the request's method", async () => {
    const e = await refusal(verifyDpopProof(request(await proof({ claims: { htm: "GET" } })), services(), NOW));
    expect(e.description).toMatch(/htm/);
  });

  it("refuses htu other than the endpoint, and ignores its query and fragment", async () => {
    const e = await refusal(verifyDpopProof(request(await proof({ claims: { htu: "https://as.example/oauth/other" } })), services(), NOW));
    expect(e.description).toMatch(/htu/);
    const host = await refusal(
      verifyDpopProof(request(await proof({ claims: { htu: "https://evil.example/oauth/token" } })), services(), NOW),
    );
    expect(host.description).toMatch(/htu/);
    expect(await verifyDpopProof(request(await proof({ claims: { htu: `${URL_}?a=1#f` } })), services(), NOW)).toBeDefined();
  });

  it("asks for the nonce (use_dpop_nonce, with a DPoP-Nonce header) when it is missing or stale", async () => {
    const missing = await refusal(verifyDpopProof(request(await proof({ claims: { nonce: undefined } })), services(), NOW));
    expect(missing.code).toBe("use_dpop_nonce");
    expect(missing.headers["DPoP-Nonce"]).toBe(dpopNonce(KEY, NOW));
    const stale = dpopNonce(KEY, NOW, -2);
    expect((await refusal(verifyDpopProof(request(await proof({ claims: { nonce: stale } })), services(), NOW))).code).toBe(
      "use_dpop_nonce",
    );
  });

  it("needs no nonce when nonces are off", async () => {
    expect(await verifyDpopProof(request(await proof({ claims: { nonce: undefined } })), services(false), NOW)).toBeDefined();
  });

  it("accepts the previous period's nonce, refuses the one before", () => {
    const later = new Date(NOW.getTime() + DPOP_NONCE_PERIOD_SECONDS * 1000);
    expect(isCurrentNonce(KEY, dpopNonce(KEY, NOW), later)).toBe(true);
    expect(isCurrentNonce(KEY, dpopNonce(KEY, NOW), new Date(later.getTime() + DPOP_NONCE_PERIOD_SECONDS * 1000))).toBe(false);
    expect(isCurrentNonce(new Uint8Array(32), dpopNonce(KEY, NOW), NOW)).toBe(false);
  });

  it("refuses an iat outside the window, either way", async () => {
    for (const iat of [IAT - DPOP_IAT_WINDOW_SECONDS - 1, IAT + DPOP_IAT_WINDOW_SECONDS + 1]) {
      const e = await refusal(verifyDpopProof(request(await proof({ claims: { iat } })), services(), NOW));
      expect(e.description).toMatch(/iat/);
    }
    expect(await verifyDpopProof(request(await proof({ claims: { iat: IAT - DPOP_IAT_WINDOW_SECONDS } })), services(), NOW)).toBeDefined();
  });

  it("refuses a missing or wrong ath when an access token is presented", async () => {
    const token = "eyJ.access.token";
    const none = await refusal(verifyDpopProof(request(await proof(), { accessToken: token }), services(), NOW));
    expect(none.description).toMatch(/ath/);
    const wrong = await refusal(
      verifyDpopProof(request(await proof({ claims: { ath: hashToken("other") } }), { accessToken: token }), services(), NOW),
    );
    expect(wrong.description).toMatch(/ath/);
    expect(
      await verifyDpopProof(request(await proof({ claims: { ath: hashToken(token) } }), { accessToken: token }), services(), NOW),
    ).toBeDefined();
  });

  it("refuses a replayed proof (the same key and jti)", async () => {
    const s = services();
    const p = await proof();
    await verifyDpopProof(request(p), s, NOW);
    const e = await refusal(verifyDpopProof(request(p), s, NOW));
    expect(e.description).toMatch(/used before/);
    expect(s.seen.size).toBe(1);
  });

  it("does not remember a proof that failed a check", async () => {
    const s = services();
    await refusal(verifyDpopProof(request(await proof({ claims: { htm: "GET" } })), s, NOW));
    expect(s.seen.size).toBe(0);
  });
});
