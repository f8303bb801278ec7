import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { unsignedToken } from "./tokens";
import { serveWeakenedApi } from "./weakened-api";

/** LAB MODE's weakened API really verifies what it verifies, and really skips what it skips. */

const ISSUER = "https://as.weakened-api.test";

async function setup() {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  const fetchImpl = (async (url: string | URL) => {
    const href = String(url);
    if (href === `${ISSUER}/.well-known/oauth-authorization-server`) return Response.json({ issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` });
    if (href === `${ISSUER}/jwks`) return Response.json({ keys: [jwk] });
    return new Response("not found", { status: 404 });
  }) as typeof fetch;
  const call = async (token: string) => {
    const response = await serveWeakenedApi(
      new Request("http://app.test/lab/weakened/api", { headers: { Authorization: `Bearer ${token}` } }),
      ISSUER,
      fetchImpl,
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { jwk, privateKey, call };
}

const claims = { sub: "user-1", aud: "https://other-api.example", iss: ISSUER, exp: 1 };

describe("serveWeakenedApi", () => {
  it("accepts an unsigned (alg none) token and an expired, other-audience ES256 token: it checks no claim", async () => {
    const { privateKey, call } = await setup();
    expect(await call(unsignedToken(claims))).toMatchObject({ status: 200, body: { alg: "none", sub: "user-1" } });
    const signed = await new SignJWT(claims).setProtectedHeader({ alg: "ES256", typ: "JWT", kid: "k1" }).sign(privateKey);
    expect(await call(signed)).toMatchObject({ status: 200, body: { alg: "ES256", typ: "JWT", aud: "https://other-api.example", exp: 1 } });
  });

  it("accepts HS256 keyed with the public key's JWK text, and refuses HS256 with any other secret", async () => {
    const { jwk, call } = await setup();
    const withPublic = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", kid: "k1" })
      .sign(new TextEncoder().encode(JSON.stringify(jwk)));
    expect((await call(withPublic)).status).toBe(200);
    const withOther = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", kid: "k1" })
      .sign(new TextEncoder().encode("another secret of 32 bytes or more!!"));
    expect((await call(withOther)).status).toBe(401);
  });

  it("refuses an ES256 token signed by another key, and no token at all", async () => {
    const { call } = await setup();
    const other = await generateKeyPair("ES256");
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "k1" }).sign(other.privateKey);
    expect((await call(forged)).status).toBe(401);
    const none = await serveWeakenedApi(new Request("http://app.test/lab/weakened/api"), ISSUER);
    expect(none.status).toBe(401);
  });
});
