import { createHash } from "node:crypto";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { validateIdToken, type IdTokenExpectations } from "./id-token";

const ISSUER = "http://localhost:3000";
const CLIENT = "walkthrough";
const ACCESS_TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.signature-of-the-access-token";
const atHash = (token: string) => createHash("sha256").update(token).digest().subarray(0, 16).toString("base64url");

let key: CryptoKey;
let other: CryptoKey;
let expected: IdTokenExpectations;
const now = new Date("2026-11-25T12:00:00Z");
const epoch = Math.floor(now.getTime() / 1000);

beforeAll(async () => {
  const pair = await generateKeyPair("ES256", { extractable: true });
  key = pair.privateKey;
  other = (await generateKeyPair("ES256")).privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256" } as JWK] };
  expected = {
    issuer: ISSUER,
    clientId: CLIENT,
    nonce: "the-nonce",
    accessToken: ACCESS_TOKEN,
    algorithms: ["ES256"],
    keys: createLocalJWKSet(jwks),
    now,
  };
});

/** An ID token as the authorization server makes it, with `claims` replacing (or, when undefined, removing) some. */
function idToken(claims: Record<string, unknown> = {}, signer: "ours" | "other" = "ours") {
  const payload = Object.fromEntries(
    Object.entries({
      iss: ISSUER,
      sub: "user-1",
      aud: CLIENT,
      iat: epoch,
      exp: epoch + 300,
      nonce: "the-nonce",
      at_hash: atHash(ACCESS_TOKEN),
      azp: CLIENT,
      auth_time: epoch - 60,
      ...claims,
    }).filter(([, v]) => v !== undefined),
  );
  return new SignJWT(payload).setProtectedHeader({ alg: "ES256", typ: "JWT", kid: "k1" }).sign(signer === "ours" ? key : other);
}

const failed = (r: { checks: { name: string; pass: boolean }[] }) => r.checks.filter((c) => !c.pass).map((c) => c.name);

describe("ID token validation (OpenID Connect Core §3.1.3.7)", () => {
  it("passes every check for a token the server signed for this client and this nonce", async () => {
    const r = await validateIdToken(await idToken(), expected);
    expect(failed(r)).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.checks.map((c) => c.name)).toEqual([
      "signature verifies with the server's published key",
      "iss is the issuer",
      "aud contains this client's client_id",
      "azp is this client",
      "exp is in the future",
      "iat is not in the future",
      "nonce matches",
      "at_hash matches the access token",
      "sub is present",
    ]);
  });

  it.each([
    ["another key's signature", {}, "other", "signature verifies with the server's published key"],
    ["another issuer", { iss: "https://evil.example" }, undefined, "iss is the issuer"],
    ["another audience", { aud: "someone-else" }, undefined, "aud contains this client's client_id"],
    ["another nonce (a replayed ID token)", { nonce: "stolen" }, undefined, "nonce matches"],
    ["no nonce", { nonce: undefined }, undefined, "nonce matches"],
    ["an at_hash of another access token", { at_hash: atHash("another token") }, undefined, "at_hash matches the access token"],
    ["an expired token", { exp: epoch - 31 }, undefined, "exp is in the future"],
    ["a token issued in the future", { iat: epoch + 120 }, undefined, "iat is not in the future"],
  ] as const)("refuses %s", async (_, claims, signer, check) => {
    const r = await validateIdToken(await idToken(claims as Record<string, unknown>, signer ?? "ours"), expected);
    expect(r.valid).toBe(false);
    expect(failed(r)).toEqual([check]);
  });

  it("allows 30 s of clock skew on exp", async () => {
    expect((await validateIdToken(await idToken({ exp: epoch - 29 }), expected)).valid).toBe(true);
  });

  it("refuses an algorithm the server does not advertise, and a token that is not a JWT", async () => {
    expect(failed(await validateIdToken(await idToken(), { ...expected, algorithms: ["RS256"] }))).toEqual([
      "signature verifies with the server's published key",
    ]);
    expect(await validateIdToken("not-a-jwt", expected)).toMatchObject({
      valid: false,
      checks: [{ name: "the ID token is a JWT", pass: false }],
    });
  });
});
