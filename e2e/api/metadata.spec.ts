import * as oauth from "oauth4webapi";
import { expect, test } from "../support/fixtures";
import { httpOptions } from "../support/oauth";

/** Server metadata (RFC 8414, OpenID Connect Discovery 1.0) and the JWKS (RFC 7517). */

test("both well-known documents are the same, and oauth4webapi accepts each", async ({ issuer }) => {
  const issuerUrl = new URL(issuer);
  const [oidc, oauth2] = await Promise.all([
    oauth.processDiscoveryResponse(issuerUrl, await oauth.discoveryRequest(issuerUrl, { algorithm: "oidc", ...httpOptions() })),
    oauth.processDiscoveryResponse(issuerUrl, await oauth.discoveryRequest(issuerUrl, { algorithm: "oauth2", ...httpOptions() })),
  ]);
  expect(oauth2).toEqual(oidc);

  const raw = await Promise.all(
    ["openid-configuration", "oauth-authorization-server"].map(async (name) => {
      const response = await fetch(`${issuer}/.well-known/${name}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      return response.json();
    }),
  );
  expect(raw[1]).toEqual(raw[0]);
});

test("the metadata says exactly what the server does", async ({ as, issuer }) => {
  // RFC 8414 §3.3: the issuer is identical to the URL the metadata was fetched from.
  expect(as.issuer).toBe(issuer);
  expect(as.code_challenge_methods_supported).toEqual(["S256"]);
  expect(as.authorization_response_iss_parameter_supported).toBe(true);
  expect(as.response_types_supported).toEqual(["code"]);
  expect(as.response_modes_supported ?? ["query"]).toEqual(["query"]);
  expect([...as.grant_types_supported!].sort()).toEqual(["authorization_code", "refresh_token"]);
  expect(as.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["client_secret_basic", "client_secret_post", "none"]));
  expect(as.id_token_signing_alg_values_supported).toEqual(["ES256"]);
  expect(as.scopes_supported).toEqual(
    expect.arrayContaining(["openid", "profile", "email", "offline_access", "notes:read", "notes:write"]),
  );
  for (const endpoint of [
    "authorization_endpoint",
    "token_endpoint",
    "jwks_uri",
    "userinfo_endpoint",
    "revocation_endpoint",
    "introspection_endpoint",
  ] as const) {
    expect(as[endpoint], endpoint).toMatch(new RegExp(`^${issuer.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}/`));
  }
});

test("the JWKS publishes public keys only", async ({ as }) => {
  const response = await fetch(as.jwks_uri!);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/(jwk-set\+)?json/);
  const jwks = (await response.json()) as { keys: Record<string, unknown>[] };
  expect(jwks.keys.length).toBeGreaterThan(0);
  const kids = new Set<unknown>();
  for (const key of jwks.keys) {
    for (const privateMember of ["d", "p", "q", "dp", "dq", "qi", "k", "oth"]) {
      expect(key, `a published key has no private member ${privateMember}`).not.toHaveProperty(privateMember);
    }
    expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    expect(typeof key.x).toBe("string");
    expect(typeof key.y).toBe("string");
    expect(typeof key.kid).toBe("string");
    kids.add(key.kid);
  }
  expect(kids.size, "kids are unique").toBe(jwks.keys.length);
});
