import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../crypto";
import { createTestDatabase, testConfig, testContext, type TestDatabase } from "../../test/support/db";
import { findClient } from "./clients";
import { OAuthError } from "../oauth/errors";
import { checkRegisteredRedirectUri, handleRegistration, registerClient, validateClientMetadata } from "./registration";

const valid = { client_name: "My app", redirect_uris: ["https://app.example/cb"] };

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof OAuthError) return e.code;
    throw e;
  }
  throw new Error("expected an OAuthError");
}

describe("checkRegisteredRedirectUri (RFC 7591 §2, RFC 9700 §4.1)", () => {
  it.each([
    ["https://app.example/cb"],
    ["https://app.example:8443/cb?x=1"],
    ["http://localhost:3000/walkthrough/callback"],
    ["http://127.0.0.1:8976/callback"],
    ["http://[::1]:8080/cb"],
  ])("accepts %s", (uri) => {
    expect(checkRegisteredRedirectUri(uri)).toBe(uri);
  });

  it.each([
    ["javascript:alert(1)", "javascript:"],
    ["data:text/html,<script>alert(1)</script>", "data:"],
    ["/relative/callback", "relative"],
    ["app.example/cb", "no scheme"],
    ["https://app.example/cb#frag", "a fragment"],
    ["https://app.example/cb#", "an empty fragment"],
    ["http://app.example/cb", "http on a non-loopback host"],
    ["http://localhost.evil.example/cb", "http on a lookalike of localhost"],
    ["https://user:pass@app.example/cb", "credentials in the authority"],
    ["https://app.example/c b", "whitespace"],
    ["ftp://app.example/cb", "another scheme"],
    ["", "empty"],
    [
      "https://evil.example\\@127.0.0.1:3000/walkthrough/callback",
      "a backslash that hides the real host (it reads as 127.0.0.1, goes to evil.example)",
    ],
    ["https://APP.example/cb", "a host that is not in its normal form"],
    ["https://app.example", "no path (serialized with a /)"],
    ["https://app.example/a/../cb", "dot segments"],
    ["https://app.example/cb?code=x", "a query that already carries code"],
    ["https://app.example/cb?a=1&state=x", "a query that already carries state"],
    ["https://app.example/cb?iss=https://as.example", "a query that already carries iss"],
    ["https://app.example/cb?error=", "a query that already carries error"],
  ])("refuses %s (%s) with invalid_redirect_uri", (uri) => {
    expect(codeOf(() => checkRegisteredRedirectUri(uri))).toBe("invalid_redirect_uri");
  });

  it("refuses a redirect URI that is not a string", () => {
    expect(codeOf(() => validateClientMetadata({ ...valid, redirect_uris: [42] }))).toBe("invalid_redirect_uri");
  });
});

describe("validateClientMetadata", () => {
  it("fills in the defaults: client_secret_basic, both grants, code, all scopes but notes:write", () => {
    expect(validateClientMetadata(valid)).toEqual({
      client_name: "My app",
      redirect_uris: ["https://app.example/cb"],
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      scope: "openid profile email offline_access notes:read",
      require_pushed_authorization_requests: false,
      dpop_bound_access_tokens: false,
    });
  });

  it("require_pushed_authorization_requests (RFC 9126 §6): a boolean, stored as given", () => {
    expect(validateClientMetadata({ ...valid, require_pushed_authorization_requests: true }).require_pushed_authorization_requests).toBe(
      true,
    );
    expect(() => validateClientMetadata({ ...valid, require_pushed_authorization_requests: "true" })).toThrow(/true or false/);
  });

  it("accepts dpop_bound_access_tokens as a boolean only (RFC 9449 §5.2)", () => {
    expect(validateClientMetadata({ ...valid, dpop_bound_access_tokens: true }).dpop_bound_access_tokens).toBe(true);
    expect(codeOf(() => validateClientMetadata({ ...valid, dpop_bound_access_tokens: "true" }))).toBe("invalid_client_metadata");
  });

  it("without the refresh_token grant, the default scope has no offline_access", () => {
    expect(validateClientMetadata({ ...valid, grant_types: ["authorization_code"] }).scope).toBe("openid profile email notes:read");
  });

  it("keeps the requested scopes in canonical order and ignores unknown metadata (RFC 7591 §2)", () => {
    const m = validateClientMetadata({
      ...valid,
      scope: "notes:write openid",
      token_endpoint_auth_method: "none",
      logo_uri: "https://x/logo.png",
    });
    expect(m.scope).toBe("openid notes:write");
    expect(m.token_endpoint_auth_method).toBe("none");
    expect(m).not.toHaveProperty("logo_uri");
  });

  it("collapses repeated redirect URIs", () => {
    expect(validateClientMetadata({ ...valid, redirect_uris: ["https://a.example/cb", "https://a.example/cb"] }).redirect_uris).toEqual([
      "https://a.example/cb",
    ]);
  });

  it.each([
    ["a body that is not an object", []],
    ["no client_name", { redirect_uris: valid.redirect_uris }],
    ["an empty client_name", { ...valid, client_name: "  " }],
    ["a client_name over 100 characters", { ...valid, client_name: "x".repeat(101) }],
    ["a client_name with a control character", { ...valid, client_name: "a\u0007b" }],
    ["a client_name with a right-to-left override (U+202E)", { ...valid, client_name: "My app\u202Etxt.exe" }],
    ["a client_name with a zero-width space (a format character)", { ...valid, client_name: "Walk\u200Bthrough client" }],
    ["the walkthrough client's name, in other case", { ...valid, client_name: "walkthrough CLIENT" }],
    ["the next-auth client's name", { ...valid, client_name: " Production-style client (next-auth) " }],
    ["the public demo client's name, with spaces doubled", { ...valid, client_name: "Public  client (PKCE, no secret)" }],
    ["more than 10 redirect URIs", { ...valid, redirect_uris: Array.from({ length: 11 }, (_, i) => `https://a.example/${i}`) }],
    ["an unknown auth method", { ...valid, token_endpoint_auth_method: "private_key_jwt" }],
    ["the implicit grant", { ...valid, grant_types: ["authorization_code", "implicit"] }],
    ["no authorization_code grant", { ...valid, grant_types: ["refresh_token"] }],
    ["grant_types not an array", { ...valid, grant_types: "authorization_code" }],
    ["response_types token", { ...valid, response_types: ["token"] }],
    ["response_types code and token", { ...valid, response_types: ["code", "token"] }],
    ["an unknown scope", { ...valid, scope: "openid admin" }],
    ["an empty scope", { ...valid, scope: " " }],
    ["scope not a string", { ...valid, scope: ["openid"] }],
    ["offline_access without the refresh_token grant", { ...valid, grant_types: ["authorization_code"], scope: "openid offline_access" }],
  ])("refuses %s with invalid_client_metadata", (_what, body) => {
    expect(codeOf(() => validateClientMetadata(body))).toBe("invalid_client_metadata");
  });

  it("refuses missing or empty redirect_uris with invalid_redirect_uri", () => {
    expect(codeOf(() => validateClientMetadata({ client_name: "x" }))).toBe("invalid_redirect_uri");
    expect(codeOf(() => validateClientMetadata({ client_name: "x", redirect_uris: [] }))).toBe("invalid_redirect_uri");
  });

  it("the RFC 7591 codes are 400s", () => {
    expect(new OAuthError("invalid_redirect_uri", "x").status).toBe(400);
    expect(new OAuthError("invalid_client_metadata", "x").status).toBe(400);
  });
});

describe("registerClient and POST /oauth/register", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("stores a confidential client's secret only as its SHA-256, and returns it once", async () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const info = await registerClient(testContext(t.db, now), { ...valid, token_endpoint_auth_method: "client_secret_post" }, "10.0.0.1");
    expect(info.client_id).toMatch(/^[\w-]{24}$/);
    expect(info.client_secret).toMatch(/^[\w-]{43}$/);
    expect(info.client_secret_expires_at).toBe(0);
    expect(info.client_id_issued_at).toBe(now.getTime() / 1000);
    const row = await t.db.client.findUniqueOrThrow({ where: { id: info.client_id } });
    expect(row.secretHash).toBe(hashToken(info.client_secret!));
    expect(JSON.stringify(row)).not.toContain(info.client_secret);
    const client = await findClient(t.db, info.client_id);
    expect(client).toMatchObject({ name: "My app", authMethod: "client_secret_post", isPublic: false, redirectUris: valid.redirect_uris });
  });

  it("a public client gets no secret", async () => {
    const info = await registerClient(testContext(t.db), { ...valid, token_endpoint_auth_method: "none" }, "10.0.0.2");
    expect(info).not.toHaveProperty("client_secret");
    expect(info).not.toHaveProperty("client_secret_expires_at");
    expect(await findClient(t.db, info.client_id)).toMatchObject({ isPublic: true, secretHash: null });
  });

  it("answers 201, no-store; a bad request 400 with the RFC 7591 code; the limit 429 per IP address", async () => {
    // One proxy trusted, so that X-Forwarded-For names the address (with none, it is ignored: see below).
    const ctx = testContext(t.db, new Date(), testConfig({ REGISTRATION_MAX_PER_WINDOW: "2", TRUST_PROXY_HOPS: "1" }));
    const post = (body: string, ip = "10.0.0.3", type = "application/json") =>
      handleRegistration(
        new Request("http://localhost:3000/oauth/register", {
          method: "POST",
          headers: { "Content-Type": type, "X-Forwarded-For": ip },
          body,
        }),
        ctx,
      );

    const ok = await post(JSON.stringify(valid));
    expect(ok.status).toBe(201);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(await ok.json()).toMatchObject({ client_name: "My app", token_endpoint_auth_method: "client_secret_basic" });

    const bad = await post(JSON.stringify({ ...valid, redirect_uris: ["javascript:alert(1)"] }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "invalid_redirect_uri" });
    expect((await post("{not json")).status).toBe(400);
    expect(await (await post(JSON.stringify(valid), "10.0.0.3", "application/x-www-form-urlencoded")).json()).toMatchObject({
      error: "invalid_client_metadata",
    });

    expect((await post(JSON.stringify(valid))).status).toBe(201);
    const limited = await post(JSON.stringify(valid));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("600");
    expect(await limited.json()).toMatchObject({ error: "temporarily_unavailable" });
    expect((await post(JSON.stringify(valid), "10.0.0.4")).status).toBe(201);
  });

  it("with no trusted proxy, 30 registrations with 30 invented X-Forwarded-For values share one limit", async () => {
    const ctx = testContext(t.db, new Date(), testConfig({ REGISTRATION_MAX_PER_WINDOW: "3" }));
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const response = await handleRegistration(
        new Request("http://localhost:3000/oauth/register", {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Forwarded-For": `198.51.100.${i}` },
          body: JSON.stringify(valid),
        }),
        ctx,
      );
      statuses.push(response.status);
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(27);
  });

  it("counts each attempt before the work: of 12 parallel registrations from one address, only the limit passes", async () => {
    const ctx = testContext(t.db, new Date(), testConfig({ REGISTRATION_MAX_PER_WINDOW: "4" }));
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => registerClient(ctx, valid, "10.0.7.7")));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(4);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r.reason as OAuthError).status)).toEqual(Array(8).fill(429));
  });

  it("has an overall cap per window beside the per-IP one", async () => {
    const ctx = testContext(t.db, new Date("2027-06-01T00:00:00Z"), testConfig({ REGISTRATION_MAX_TOTAL_PER_WINDOW: "3" }));
    for (const ip of ["10.0.8.1", "10.0.8.2", "10.0.8.3"]) await registerClient(ctx, valid, ip);
    await expect(registerClient(ctx, valid, "10.0.8.4")).rejects.toMatchObject({ code: "temporarily_unavailable", status: 429 });
    // A window later, registration opens again.
    const later = testContext(t.db, new Date("2027-06-01T00:11:00Z"), testConfig({ REGISTRATION_MAX_TOTAL_PER_WINDOW: "3" }));
    await expect(registerClient(later, valid, "10.0.8.4")).resolves.toHaveProperty("client_id");
  });

  it("marks a registered client self-registered (a seeded one is not)", async () => {
    const info = await registerClient(testContext(t.db), valid, "10.0.9.1");
    expect(await findClient(t.db, info.client_id)).toMatchObject({ selfRegistered: true });
  });
});
