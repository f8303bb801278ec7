import { exportSPKI, generateKeyPair, importJWK, SignJWT, type JWK, type JWTHeaderParameters } from "jose";
import type * as oauth from "oauth4webapi";
import { expect, obtainTokens, test } from "../support/fixtures";
import { USERS, type DemoUser } from "../support/oauth";

/**
 * The protected API (RFC 6750, RFC 9068) over HTTP, with tokens from a real run of the grant: the
 * happy path of each route, one user's notes kept from another, and the refusals, each with its
 * status, error code and WWW-Authenticate challenge.
 */

const ALL_API_SCOPES = "openid profile email offline_access notes:read notes:write";

type ApiAnswer = {
  status: number;
  body: Record<string, unknown> & { error?: string; error_description?: string; notes?: { id: string; text: string }[] };
  response: Response;
};

/** A call to the API with an optional bearer token; every answer is no-store and never a 5xx. */
async function api(
  issuer: string,
  path: string,
  init: { token?: string; method?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${issuer}${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  expect(response.status, `${init.method ?? "GET"} ${path}: never a server error`).toBeLessThan(500);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, response };
}

/** The tokens of a fresh grant for `user` (walkthrough client, confidential). */
async function tokensFor(as: oauth.AuthorizationServer, user: DemoUser = USERS.alice, scope = ALL_API_SCOPES) {
  const { tokens } = await obtainTokens(as, "walkthrough", { user, scope });
  return tokens;
}

/** Expects a 401 invalid_token with a challenge that carries the same description. */
function expectInvalidToken(answer: ApiAnswer, description: RegExp) {
  expect(answer.status).toBe(401);
  expect(answer.body).toMatchObject({ error: "invalid_token", error_description: expect.stringMatching(description) });
  const challenge = answer.response.headers.get("www-authenticate") ?? "";
  expect(challenge).toMatch(/^Bearer realm="[^"]+", error="invalid_token", error_description="[^"]+"$/);
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const partsOf = (jwt: string) => {
  const [header, payload] = jwt.split(".");
  return {
    header: JSON.parse(Buffer.from(header, "base64url").toString()) as JWTHeaderParameters,
    payload: JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>,
  };
};

test.describe("the happy path, with tokens from the grant", () => {
  test("GET /api/me, POST /api/notes, GET /api/notes and GET /api/notes/{id}", async ({ as, issuer }) => {
    const { access_token: token } = await tokensFor(as);
    const sub = partsOf(token).payload.sub;

    const me = await api(issuer, "/api/me", { token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ sub, name: USERS.alice.name, preferred_username: "alice", email: USERS.alice.email, email_verified: true });

    const created = await api(issuer, "/api/notes", { token, method: "POST", json: { text: "Remember the PKCE verifier" } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), text: "Remember the PKCE verifier", createdAt: expect.any(String) });
    expect(created.response.headers.get("location")).toBe(`/api/notes/${created.body.id}`);

    const list = await api(issuer, "/api/notes", { token });
    expect(list.status).toBe(200);
    expect(list.body.notes!.map((n) => n.id)).toContain(created.body.id);

    const one = await api(issuer, `/api/notes/${created.body.id}`, { token });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(created.body);
  });

  test("GET /api/me leaves out email without the email scope", async ({ as, issuer }) => {
    const { access_token: token } = await tokensFor(as, USERS.bob, "openid profile");
    const me = await api(issuer, "/api/me", { token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ sub: expect.any(String), name: USERS.bob.name, preferred_username: "bob" });
  });
});

test("another user's notes: alice cannot read bob's note by id, and lists only her own", async ({ as, issuer }) => {
  const [alice, bob] = await Promise.all([tokensFor(as, USERS.alice), tokensFor(as, USERS.bob)]);
  const bobsNote = await api(issuer, "/api/notes", { token: bob.access_token, method: "POST", json: { text: "bob's private note" } });
  const alicesNote = await api(issuer, "/api/notes", { token: alice.access_token, method: "POST", json: { text: "alice's note" } });
  expect([bobsNote.status, alicesNote.status]).toEqual([201, 201]);

  const stolen = await api(issuer, `/api/notes/${bobsNote.body.id}`, { token: alice.access_token });
  expect(stolen.status).toBe(404);
  expect(stolen.body).toEqual((await api(issuer, "/api/notes/no-such-note", { token: alice.access_token })).body);

  const list = await api(issuer, "/api/notes", { token: alice.access_token });
  const ids = list.body.notes!.map((n) => n.id);
  expect(ids).toContain(alicesNote.body.id);
  expect(ids).not.toContain(bobsNote.body.id);
  expect(list.body.notes!.map((n) => n.text)).not.toContain("bob's private note");
  expect((await api(issuer, `/api/notes/${bobsNote.body.id}`, { token: bob.access_token })).status).toBe(200);
});

test.describe("refusals", () => {
  test("no token: 401 with a bare challenge, for Bearer and DPoP (RFC 9449 §7.1)", async ({ issuer }) => {
    for (const path of ["/api/me", "/api/notes", "/api/notes/x"]) {
      const answer = await api(issuer, path);
      expect(answer.status).toBe(401);
      expect(answer.response.headers.get("www-authenticate")).toBe(
        `Bearer realm="${issuer}/api", DPoP realm="${issuer}/api", algs="ES256"`,
      );
    }
  });

  test("a token in the query string: 400 invalid_request", async ({ as, issuer }) => {
    const { access_token: token } = await tokensFor(as);
    const answer = await api(issuer, `/api/notes?access_token=${token}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: "invalid_request", error_description: expect.stringMatching(/query string/) });
    expect(answer.response.headers.get("www-authenticate")).toMatch(/error="invalid_request"/);
  });

  test("a token in a form body: 400 invalid_request", async ({ as, issuer }) => {
    const { access_token: token } = await tokensFor(as);
    const response = await fetch(`${issuer}/api/notes`, { method: "POST", body: new URLSearchParams({ access_token: token }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_request", error_description: expect.stringMatching(/request body/) });
  });

  test("a malformed Authorization header: 400 invalid_request", async ({ issuer }) => {
    const answer = await api(issuer, "/api/me", { headers: { Authorization: "Bearer two tokens" } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe("invalid_request");
  });

  test("a token without the scope: 403 insufficient_scope naming notes:read", async ({ as, issuer }) => {
    const { access_token: token } = await tokensFor(as, USERS.alice, "openid profile");
    const answer = await api(issuer, "/api/notes", { token });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: "insufficient_scope", error_description: expect.stringMatching(/notes:read/) });
    expect(answer.response.headers.get("www-authenticate")).toMatch(
      /^Bearer realm="[^"]+", error="insufficient_scope", error_description="[^"]+", scope="notes:read"$/,
    );
    const write = await api(issuer, "/api/notes", { token, method: "POST", json: { text: "x" } });
    expect(write.response.headers.get("www-authenticate")).toMatch(/scope="notes:write"$/);
    expect((await api(issuer, "/api/me", { token })).status).toBe(200);
  });

  test("an access token revoked at /oauth/revoke is refused; revoking the refresh token ends the grant's access tokens", async ({
    as,
    issuer,
  }) => {
    const { tokens, backchannel } = await obtainTokens(as, "walkthrough", { scope: ALL_API_SCOPES });
    expect((await api(issuer, "/api/notes", { token: tokens.access_token })).status).toBe(200);
    await backchannel.revoke(tokens.access_token, "access_token");
    expectInvalidToken(await api(issuer, "/api/notes", { token: tokens.access_token }), /revoked/);

    const refreshed = await backchannel.refresh(tokens.refresh_token!);
    expect((await api(issuer, "/api/me", { token: refreshed.access_token })).status).toBe(200);
    await backchannel.revoke(refreshed.refresh_token!, "refresh_token");
    expectInvalidToken(await api(issuer, "/api/me", { token: refreshed.access_token }), /revoked/);
  });

  test("an ID token used as an access token: typ must be at+jwt", async ({ as, issuer }) => {
    const { id_token: idToken } = await tokensFor(as);
    expect(partsOf(idToken!).header.typ).toBe("JWT");
    expectInvalidToken(await api(issuer, "/api/me", { token: idToken }), /typ must be at\+jwt/);
  });

  test("alg none: the real token's claims, unsigned", async ({ as, issuer }) => {
    const { header, payload } = partsOf((await tokensFor(as)).access_token);
    const unsigned = `${b64url({ ...header, alg: "none" })}.${b64url(payload)}.`;
    expectInvalidToken(await api(issuer, "/api/notes", { token: unsigned }), /alg none/);
  });

  test("HS256 signed with the server's public key as the HMAC secret (key confusion)", async ({ as, issuer }) => {
    const { header, payload } = partsOf((await tokensFor(as)).access_token);
    const jwks = (await (await fetch(as.jwks_uri!)).json()) as { keys: JWK[] };
    const jwk = jwks.keys.find((k) => k.kid === header.kid)!;
    const publicKey = (await importJWK(jwk, "ES256", { extractable: true })) as CryptoKey;
    for (const secret of [await exportSPKI(publicKey), JSON.stringify(jwk)]) {
      const forged = await new SignJWT(payload).setProtectedHeader({ ...header, alg: "HS256" }).sign(new TextEncoder().encode(secret));
      expectInvalidToken(await api(issuer, "/api/notes", { token: forged }), /HS256 is not allowed/);
    }
  });

  test("an unknown kid: the same claims signed by a key the server never published", async ({ as, issuer }) => {
    const { header, payload } = partsOf((await tokensFor(as)).access_token);
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT(payload).setProtectedHeader({ ...header, kid: "attacker-key" }).sign(privateKey);
    expectInvalidToken(await api(issuer, "/api/notes", { token: forged }), /kid/);
    // The server's kid on the attacker's signature fails the signature check instead.
    const spoofed = await new SignJWT(payload).setProtectedHeader(header).sign(privateKey);
    expectInvalidToken(await api(issuer, "/api/notes", { token: spoofed }), /signature does not verify/);
  });

  test("bad note bodies: 400 invalid_request with a clear message", async ({ as, issuer }) => {
    const { access_token: token } = await tokensFor(as);
    const cases: [string, BodyInit, Record<string, string>, RegExp][] = [
      ["bad JSON", "{", { "Content-Type": "application/json" }, /not valid JSON/],
      ["a wrong content type", "hello", { "Content-Type": "text/plain" }, /application\/json/],
      ["missing text", "{}", { "Content-Type": "application/json" }, /text is required/],
      ["text too long", JSON.stringify({ text: "x".repeat(1001) }), { "Content-Type": "application/json" }, /at most 1000/],
      ["an unknown field", JSON.stringify({ text: "x", userId: "bob" }), { "Content-Type": "application/json" }, /Unknown field/],
    ];
    for (const [label, body, headers, message] of cases) {
      const response = await fetch(`${issuer}/api/notes`, {
        method: "POST",
        headers: { ...headers, Authorization: `Bearer ${token}` },
        body,
      });
      expect(response.status, label).toBe(400);
      expect(await response.json(), label).toMatchObject({ error: "invalid_request", error_description: expect.stringMatching(message) });
    }
  });
});

test.describe("CORS", () => {
  const preflight = (issuer: string, origin: string) =>
    fetch(`${issuer}/api/notes`, {
      method: "OPTIONS",
      headers: { Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type" },
    });

  test("a preflight from the app's own origin (the default RS_CORS_ORIGINS) is allowed", async ({ issuer }) => {
    const origin = new URL(issuer).origin;
    const response = await preflight(issuer, origin);
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(origin);
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, POST");
    // RFC 9449 §7: a browser client sends its proof in the DPoP header.
    expect(response.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type, DPoP");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });

  test("a preflight from another origin gets no Access-Control-Allow-Origin", async ({ issuer }) => {
    const response = await preflight(issuer, "https://evil.example");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("access-control-allow-methods")).toBeNull();
  });

  test("an actual request from an allowed origin can read WWW-Authenticate; another origin gets no CORS headers", async ({ issuer }) => {
    const origin = new URL(issuer).origin;
    const allowed = await fetch(`${issuer}/api/me`, { headers: { Origin: origin } });
    expect(allowed.status).toBe(401);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(origin);
    expect(allowed.headers.get("access-control-expose-headers")).toMatch(/WWW-Authenticate/);
    const other = await fetch(`${issuer}/api/me`, { headers: { Origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
