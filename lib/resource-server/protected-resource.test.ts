import { exportSPKI } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, seedUser, type TestDatabase } from "../../test/support/db";
import type { ResourceServerContext } from "./context";
import { me } from "./me";
import { listNotes } from "./notes";
import { serveProtected, UNCORRELATED } from "./protected-resource";
import {
  apiRequest,
  AUDIENCE,
  bearer,
  ISSUER,
  mintAccessToken,
  recordIssued,
  testKeys,
  testRsContext,
  unsignedToken,
  type TestKeys,
} from "./test-helpers";

/**
 * Every way the protected API refuses a request (RFC 6750 §3.1, RFC 9068 §4, RFC 8725), through the
 * whole pipeline: the status, the WWW-Authenticate challenge, the error body and the flow events.
 */

let t: TestDatabase;
let keys: TestKeys;
let alice: string;
/** RFC 6750 §3 and RFC 9449 §7.1: a request without a token is offered both schemes. */
const NO_TOKEN_CHALLENGE = `Bearer realm="${AUDIENCE}", DPoP realm="${AUDIENCE}", algs="ES256"`;

beforeAll(async () => {
  t = await createTestDatabase();
  keys = await testKeys();
  alice = (await seedUser(t.db, "alice")).id;
});

afterAll(async () => {
  await t?.close();
});

const ctx = (options: Parameters<typeof testRsContext>[2] = {}) => testRsContext(t.db, keys, options);

/** A token for alice with a matching AccessToken row, as the authorization server would issue it. */
async function issued(scope = "openid profile notes:read", options: Parameters<typeof mintAccessToken>[3] & { revoked?: boolean } = {}) {
  const minted = await mintAccessToken(keys, alice, scope, options);
  const row = await recordIssued(t.db, minted.jti, alice, scope, { revokedAt: options.revoked ? new Date() : undefined });
  return { ...minted, correlationId: row.correlationId };
}

type Body = { error?: string; error_description?: string; notes?: unknown[] };

async function call(request: Request, c: ResourceServerContext = ctx(), resource = listNotes) {
  const response = await serveProtected(request, c, resource);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const text = await response.text();
  return {
    response,
    status: response.status,
    challenge: response.headers.get("www-authenticate"),
    body: (text ? JSON.parse(text) : undefined) as Body | undefined,
  };
}

/** Expects a 401 invalid_token whose description (in the body and the challenge) matches `description`. */
async function expectInvalidToken(token: string, description: RegExp, c?: ResourceServerContext) {
  const { status, challenge, body } = await call(apiRequest("/api/notes", { headers: bearer(token) }), c);
  expect(status).toBe(401);
  expect(body?.error).toBe("invalid_token");
  expect(body?.error_description).toMatch(description);
  const realm = `Bearer realm="${(c ?? ctx()).config.apiAudience}"`;
  expect(challenge).toMatch(new RegExp(`^${realm}, error="invalid_token", error_description="`));
  expect(challenge).toContain(body!.error_description!.replace(/["\\]/g, "'"));
  return body!;
}

async function lastEvents(correlationId: string) {
  const rows = await t.db.flowEvent.findMany({ where: { correlationId, role: "resource-server" }, orderBy: { id: "desc" }, take: 2 });
  return rows.reverse().map((r) => ({
    ...r,
    data: JSON.parse(r.data) as {
      http?: { request?: { headers?: Record<string, string>; url?: string }; response?: { status: number } };
      detail?: Record<string, unknown>;
    },
  }));
}

describe("the happy path", () => {
  it("serves a valid, unrevoked token with the scope, and records steps 6 and 7 under the flow's correlation id", async () => {
    const { token, correlationId } = await issued();
    const { status, body, challenge } = await call(apiRequest("/api/notes", { headers: bearer(token) }));
    expect(status).toBe(200);
    expect(body).toEqual({ notes: [] });
    expect(challenge).toBeNull();

    const [six, seven] = await lastEvents(correlationId);
    expect(six).toMatchObject({ step: 6, outcome: "ok", clientId: "walkthrough", userId: alice });
    expect(seven).toMatchObject({ step: 7, outcome: "ok", clientId: "walkthrough", userId: alice });
    expect(seven.data.detail).toMatchObject({ check: "passed", revocationCheck: "jti" });
    // The token is masked before the event is stored.
    const stored = six.data.http!.request!.headers!.authorization;
    expect(stored).toMatch(/^Bearer eyJhbG…\(\d+ chars\)$/);
    expect(JSON.stringify([six.data, seven.data])).not.toContain(token);
  });

  it("accepts a token that expired less than 30 s ago (clock skew), on the context's clock", async () => {
    const now = new Date();
    const { token } = await issued("notes:read", { iat: Math.floor(now.getTime() / 1000) - 320, ttl: 300 });
    expect((await call(apiRequest("/api/notes", { headers: bearer(token) }), ctx({ now }))).status).toBe(200);
  });

  it("jti: a row that expired with its JWT (not early) leaves the decision to the exp check and its skew", async () => {
    const now = new Date();
    const { token, jti } = await issued("notes:read", { iat: Math.floor(now.getTime() / 1000) - 320, ttl: 300 });
    const exp = (Math.floor(now.getTime() / 1000) - 20) * 1000;
    await t.db.accessToken.update({ where: { jti }, data: { expiresAt: new Date(exp) } });
    expect((await call(apiRequest("/api/notes", { headers: bearer(token) }), ctx({ now }))).status).toBe(200);
    await expectInvalidToken(token, /expired/, ctx({ now: new Date(now.getTime() + 15_000) }));
  });

  it("accepts the scheme name in any case (RFC 9110 §11.1)", async () => {
    const { token } = await issued();
    expect((await call(apiRequest("/api/notes", { headers: { Authorization: `bearer ${token}` } }))).status).toBe(200);
  });
});

describe("RFC 6750 §2 and §3.1: how the token is sent", () => {
  it("no token: 401 with a bare challenge and no error code", async () => {
    const before = await t.db.flowEvent.count({ where: { correlationId: UNCORRELATED } });
    const { status, challenge, body } = await call(apiRequest("/api/notes"));
    expect(status).toBe(401);
    expect(challenge).toBe(NO_TOKEN_CHALLENGE);
    expect(body).toBeUndefined();
    const [six, seven] = await lastEvents(UNCORRELATED);
    expect(await t.db.flowEvent.count({ where: { correlationId: UNCORRELATED } })).toBe(before + 2);
    expect(six).toMatchObject({ step: 6, name: "Client called the API without an access token" });
    expect(seven).toMatchObject({ step: 7, outcome: "error" });
    expect(seven.data.detail).toMatchObject({ check: "token-present" });
  });

  it("another authentication scheme counts as no token (RFC 6750 §3.1)", async () => {
    const { status, challenge } = await call(apiRequest("/api/notes", { headers: { Authorization: "Basic YWxpY2U6c2VjcmV0" } }));
    expect(status).toBe(401);
    expect(challenge).toBe(NO_TOKEN_CHALLENGE);
  });

  it("a token in the query string: 400 invalid_request, and the query is masked in the event", async () => {
    const { token } = await issued();
    const { status, challenge, body } = await call(apiRequest(`/api/notes?access_token=${token}`));
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: "invalid_request", error_description: expect.stringMatching(/not in the query string/) });
    expect(challenge).toMatch(/^Bearer realm="[^"]+", error="invalid_request"/);
    const [six, seven] = await lastEvents(UNCORRELATED);
    expect(six.data.http!.request!.url).not.toContain(token);
    expect(seven.data.detail).toMatchObject({ check: "token-in-query" });
  });

  it("a token in the query string is refused however its name is encoded", async () => {
    const { token } = await issued();
    for (const name of ["access%5Ftoken", "%61ccess_token"]) {
      expect((await call(apiRequest(`/api/notes?x=1&${name}=${token}`, { headers: bearer(token) }))).status).toBe(400);
    }
  });

  it("a token in the query string is refused even beside a valid header", async () => {
    const { token } = await issued();
    const { status, body } = await call(apiRequest(`/api/notes?access_token=${token}`, { headers: bearer(token) }));
    expect(status).toBe(400);
    expect(body?.error).toBe("invalid_request");
  });

  it("a token in a form body: 400 invalid_request", async () => {
    const { token } = await issued();
    const request = apiRequest("/api/notes", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `access_token=${token}`,
    });
    const { status, body } = await call(request);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: "invalid_request", error_description: expect.stringMatching(/not in the request body/) });
  });

  it.each([
    ["Bearer", "no token"],
    ["Bearer ", "an empty token"],
    ["Bearer a b", "two tokens"],
    ["Bearer abc,def", "a character outside b64token"],
    ["Bearer\tabc", "a tab instead of a space"],
    ["", "an empty header"],
  ])("a malformed header (%j, %s): 400 invalid_request", async (header) => {
    const { status, body, challenge } = await call(apiRequest("/api/notes", { headers: { Authorization: header } }));
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: "invalid_request", error_description: expect.stringMatching(/Bearer <token>/) });
    expect(challenge).toMatch(/error="invalid_request"/);
  });
});

describe("RFC 8725 §3.1 and RFC 9068 §4: the token itself", () => {
  it("a token that is not a JWT", async () => {
    await expectInvalidToken("not-a-jwt", /not a well-formed signed JWT/);
  });

  it("alg none: an unsigned token", async () => {
    await expectInvalidToken(unsignedToken(keys.kid, alice, "notes:read"), /not signed \(alg none\); only ES256/);
  });

  it("HS256 signed with the server's public key as the HMAC secret (key confusion)", async () => {
    const publicPem = new TextEncoder().encode(await exportSPKI(keys.publicKey));
    const { token, jti } = await mintAccessToken(keys, alice, "notes:read", { header: { alg: "HS256" }, key: publicPem });
    await recordIssued(t.db, jti, alice, "notes:read");
    await expectInvalidToken(token, /algorithm HS256 is not allowed; only ES256/);
  });

  it("the public JWK's JSON as the HMAC secret is refused the same way", async () => {
    const secret = new TextEncoder().encode(JSON.stringify(keys.jwks.keys[0]));
    const { token } = await mintAccessToken(keys, alice, "notes:read", { header: { alg: "HS256" }, key: secret });
    await expectInvalidToken(token, /HS256 is not allowed/);
  });

  it("an unknown kid", async () => {
    const other = await testKeys("unknown-kid");
    const { token } = await mintAccessToken(other, alice, "notes:read");
    await expectInvalidToken(token, /signing key \(kid\) is not one the authorization server publishes/);
  });

  it("a known kid, but signed by another key", async () => {
    const other = await testKeys(keys.kid);
    const { token } = await mintAccessToken(other, alice, "notes:read");
    await expectInvalidToken(token, /signature does not verify/);
  });

  it("a wrong iss", async () => {
    const { token } = await issued("notes:read", { claims: { iss: "https://evil.example" } });
    await expectInvalidToken(token, /not issued by the authorization server this API trusts \(iss\)/);
  });

  it("a wrong aud", async () => {
    const { token } = await issued("notes:read", { claims: { aud: "https://another-api.example" } });
    await expectInvalidToken(token, /audience is not this API/);
  });

  it("an ID token used as an access token (typ JWT, aud = the client id)", async () => {
    const { token } = await issued("notes:read", {
      header: { typ: "JWT" },
      claims: { aud: "walkthrough", nonce: "n", azp: "walkthrough" },
    });
    await expectInvalidToken(token, /not an access token \(typ must be at\+jwt\)/);
  });

  it("a token with no typ", async () => {
    const { token } = await issued("notes:read", { header: { typ: undefined } });
    await expectInvalidToken(token, /typ must be at\+jwt/);
  });

  it("an expired token (beyond the 30 s skew)", async () => {
    const now = new Date();
    const { token } = await issued("notes:read", { iat: Math.floor(now.getTime() / 1000) - 331, ttl: 300 });
    await expectInvalidToken(token, /has expired/, ctx({ now }));
  });

  it("a token whose nbf is in the future (beyond the skew), and one within it", async () => {
    const now = new Date();
    const at = Math.floor(now.getTime() / 1000);
    const { token } = await issued("notes:read", { claims: { nbf: at + 60 } });
    await expectInvalidToken(token, /not valid yet \(nbf/, ctx({ now }));
    const { token: soon } = await issued("notes:read", { claims: { nbf: at + 20 } });
    expect((await call(apiRequest("/api/notes", { headers: bearer(soon) }), ctx({ now }))).status).toBe(200);
  });

  it("a token without the client_id claim RFC 9068 requires", async () => {
    const { token } = await issued("notes:read", { claims: { client_id: undefined } });
    await expectInvalidToken(token, /lacks the client_id claim/);
  });

  it("a tampered payload", async () => {
    const { token } = await issued("notes:read");
    const [h, , s] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ iss: ISSUER, sub: alice, aud: AUDIENCE, scope: "notes:read notes:write" })).toString(
      "base64url",
    );
    await expectInvalidToken(`${h}.${forged}.${s}`, /signature does not verify/);
  });
});

describe("revocation", () => {
  it("jti: a revoked token is refused, under the flow's correlation id", async () => {
    const { token, correlationId } = await issued("notes:read", { revoked: true });
    await expectInvalidToken(token, /has been revoked/);
    const [, seven] = await lastEvents(correlationId);
    expect(seven).toMatchObject({ step: 7, outcome: "error" });
    expect(seven.data.detail).toMatchObject({ check: "revocation" });
  });

  it('jti: a token whose row was expired early (the instructor\'s "expire now") is refused while its JWT exp is still ahead', async () => {
    const { token, jti, correlationId } = await issued("notes:read");
    expect((await call(apiRequest("/api/notes", { headers: bearer(token) }))).status).toBe(200);
    await t.db.accessToken.update({ where: { jti }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectInvalidToken(token, /expired \(the authorization server ended it early\)/);
    const [, seven] = await lastEvents(correlationId);
    expect(seven).toMatchObject({ step: 7, outcome: "error" });
  });

  it("jti: a validly signed token the authorization server has no record of is refused", async () => {
    const { token } = await mintAccessToken(keys, alice, "notes:read");
    await expectInvalidToken(token, /no record of this token/);
  });

  it("introspection: asks the authorization server instead of the database", async () => {
    const asked: string[] = [];
    const env = { RS_REVOCATION_CHECK: "introspection" };
    const { token, jti } = await mintAccessToken(keys, alice, "notes:read");
    const active = ctx({
      env,
      introspect: async (tok) => {
        asked.push(tok);
        return { active: true, jti };
      },
    });
    expect((await call(apiRequest("/api/notes", { headers: bearer(token) }), active)).status).toBe(200);
    expect(asked).toEqual([token]);

    const inactive = ctx({ env, introspect: async () => ({ active: false }) });
    await expectInvalidToken(token, /no longer active: revoked \(RFC 7662\)/, inactive);
  });

  it("introspection: an unreachable authorization server is a 503, not the token's fault", async () => {
    const { token } = await mintAccessToken(keys, alice, "notes:read");
    const { AuthorizationServerUnavailable } = await import("./errors");
    const down = ctx({
      env: { RS_REVOCATION_CHECK: "introspection" },
      introspect: async () => {
        throw new AuthorizationServerUnavailable("introspection endpoint");
      },
    });
    const { status, body, challenge } = await call(apiRequest("/api/notes", { headers: bearer(token) }), down);
    expect(status).toBe(503);
    expect(body?.error).toBe("temporarily_unavailable");
    expect(challenge).toBeNull();
  });
});

describe("RFC 6750 §3.1: scope", () => {
  it("a token without the scope: 403 insufficient_scope naming the scope, in the challenge too", async () => {
    const { token, correlationId } = await issued("openid profile");
    const { status, body, challenge } = await call(apiRequest("/api/notes", { headers: bearer(token) }));
    expect(status).toBe(403);
    expect(body).toMatchObject({ error: "insufficient_scope", error_description: expect.stringMatching(/needs the notes:read scope/) });
    expect(challenge).toMatch(
      new RegExp(`^Bearer realm="${AUDIENCE}", error="insufficient_scope", error_description="[^"]+", scope="notes:read"$`),
    );
    const [, seven] = await lastEvents(correlationId);
    expect(seven.data.detail).toMatchObject({ check: "scope" });
  });

  it("scope is matched by whole names, not substrings", async () => {
    const { token } = await issued("notes:readonly profiles");
    expect((await call(apiRequest("/api/notes", { headers: bearer(token) }))).status).toBe(403);
    expect((await call(apiRequest("/api/me", { headers: bearer(token) }), ctx(), me)).status).toBe(403);
  });
});

it("RS_ISSUER: the API trusts the configured issuer, and only it", async () => {
  const { token } = await issued("notes:read", { claims: { iss: "https://as.example" } });
  const trusting = ctx({ env: { RS_ISSUER: "https://as.example" } });
  expect((await call(apiRequest("/api/notes", { headers: bearer(token) }), trusting)).status).toBe(200);
  await expectInvalidToken(token, /\(iss\)/);
});

it("a token for another audience is refused even when API_AUDIENCE names it elsewhere", async () => {
  const { token } = await issued("notes:read");
  await expectInvalidToken(token, /audience/, ctx({ env: { API_AUDIENCE: "https://api.example" } }));
});
