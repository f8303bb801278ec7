import { jwtVerify } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { authorizationServerKeys, discover, JWKS_OPTIONS } from "./authorization-server";
import { AuthorizationServerUnavailable } from "./errors";
import { mintAccessToken, testKeys, type TestKeys } from "./test-helpers";

/**
 * RFC 8414 §3 and RFC 7517: the API finds the keys through the issuer's metadata, once per process,
 * and refetches the JWKS on an unknown kid at most once a minute. A fake fetch counts the requests.
 */

let n = 0;
/** Each test its own issuer, since the cache is per process. */
const newIssuer = () => `https://as${++n}.example`;

function fakeAuthorizationServer(issuer: string, keySets: TestKeys[], options: { metadataIssuer?: string; failMetadata?: number } = {}) {
  const calls = { metadata: 0, jwks: 0 };
  let failures = options.failMetadata ?? 0;
  const fetchImpl = vi.fn(async (input: string | URL | Request) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url === `${issuer}/.well-known/oauth-authorization-server`) {
      calls.metadata++;
      if (failures-- > 0) return new Response("down", { status: 503 });
      return Response.json({
        issuer: options.metadataIssuer ?? issuer,
        jwks_uri: `${issuer}/oauth/jwks`,
        introspection_endpoint: `${issuer}/oauth/introspect`,
      });
    }
    if (url === `${issuer}/oauth/jwks`) {
      calls.jwks++;
      return Response.json({ keys: keySets.flatMap((k) => k.jwks.keys) });
    }
    return new Response("not found", { status: 404 });
  });
  return { calls, fetchImpl: fetchImpl as unknown as typeof fetch, keySets };
}

const verify = (token: string, keys: ReturnType<typeof authorizationServerKeys>, issuer: string) =>
  jwtVerify(token, keys, { algorithms: ["ES256"], issuer });

afterEach(() => {
  vi.useRealTimers();
});

describe("discovery and the JWKS", () => {
  it("uses the documented cache settings", () => {
    expect(JWKS_OPTIONS).toMatchObject({ cooldownDuration: 60_000, cacheMaxAge: 300_000 });
  });

  it("fetches the metadata and the JWKS once for any number of verifications, concurrent or not", async () => {
    const issuer = newIssuer();
    const current = await testKeys("k1");
    const as = fakeAuthorizationServer(issuer, [current]);
    const keys = authorizationServerKeys(issuer, as.fetchImpl);
    expect(authorizationServerKeys(issuer, as.fetchImpl)).toBe(keys);
    const tokens = await Promise.all(Array.from({ length: 20 }, () => mintAccessToken(current, "u", "s", { claims: { iss: issuer } })));
    await Promise.all(tokens.slice(0, 10).map(({ token }) => verify(token, keys, issuer)));
    for (const { token } of tokens.slice(10)) await verify(token, keys, issuer);
    expect(as.calls).toEqual({ metadata: 1, jwks: 1 });
  });

  it("refetches the JWKS on an unknown kid, but at most once per cooldown", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const issuer = newIssuer();
    const first = await testKeys("k1");
    const as = fakeAuthorizationServer(issuer, [first]);
    const keys = authorizationServerKeys(issuer, as.fetchImpl);
    await verify((await mintAccessToken(first, "u", "s", { claims: { iss: issuer } })).token, keys, issuer);

    // A rotation at the authorization server: a token with the new kid arrives within the cooldown.
    const rotated = await testKeys("k2");
    as.keySets.push(rotated);
    const fresh = (await mintAccessToken(rotated, "u", "s", { claims: { iss: issuer } })).token;
    await expect(verify(fresh, keys, issuer)).rejects.toMatchObject({ code: "ERR_JWKS_NO_MATCHING_KEY" });
    await expect(verify(fresh, keys, issuer)).rejects.toMatchObject({ code: "ERR_JWKS_NO_MATCHING_KEY" });
    expect(as.calls.jwks).toBe(1);

    // After the cooldown, one refetch finds the new key.
    vi.setSystemTime(Date.now() + JWKS_OPTIONS.cooldownDuration + 1);
    await verify(fresh, keys, issuer);
    expect(as.calls.jwks).toBe(2);
    // A flood of unknown kids costs no more fetches within the next cooldown.
    const stranger = await testKeys("k-unknown");
    for (let i = 0; i < 5; i++) {
      await expect(
        verify((await mintAccessToken(stranger, "u", "s", { claims: { iss: issuer } })).token, keys, issuer),
      ).rejects.toMatchObject({ code: "ERR_JWKS_NO_MATCHING_KEY" });
    }
    expect(as.calls).toEqual({ metadata: 1, jwks: 2 });
  });

  it("refuses metadata whose issuer differs from the configured one (RFC 8414 §3.3)", async () => {
    const issuer = newIssuer();
    const as = fakeAuthorizationServer(issuer, [], { metadataIssuer: "https://impostor.example" });
    await expect(discover(issuer, as.fetchImpl)).rejects.toBeInstanceOf(AuthorizationServerUnavailable);
  });

  it("does not cache a failure: the next request tries again", async () => {
    const issuer = newIssuer();
    const k = await testKeys("k1");
    const as = fakeAuthorizationServer(issuer, [k], { failMetadata: 1 });
    const keys = authorizationServerKeys(issuer, as.fetchImpl);
    const { token } = await mintAccessToken(k, "u", "s", { claims: { iss: issuer } });
    await expect(verify(token, keys, issuer)).rejects.toBeInstanceOf(AuthorizationServerUnavailable);
    await verify(token, keys, issuer);
    expect(as.calls).toEqual({ metadata: 2, jwks: 1 });
  });

  it("an unreachable JWKS is the authorization server's fault (503), not the token's", async () => {
    const issuer = newIssuer();
    const fetchImpl = (async (input: string | URL | Request) =>
      String(input).endsWith("/.well-known/oauth-authorization-server")
        ? Response.json({ issuer, jwks_uri: `${issuer}/oauth/jwks` })
        : Promise.reject(new TypeError("fetch failed"))) as typeof fetch;
    const k = await testKeys("k1");
    const { token } = await mintAccessToken(k, "u", "s", { claims: { iss: issuer } });
    const error = await verify(token, authorizationServerKeys(issuer, fetchImpl), issuer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthorizationServerUnavailable);
    expect(error).toMatchObject({ status: 503, code: "temporarily_unavailable" });
  });
});
