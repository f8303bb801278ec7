import { describe, expect, it } from "vitest";
import { introspectionRequest, isActive } from "./introspection";
import { secretPreview } from "./mask";
import { oauthErrorOf, send, type Fetch } from "./recorded-fetch";
import { apiRequest, readBearerChallenge } from "./resource-request";
import { revocationRequest } from "./revocation";
import { authorizationCodeRequest, readTokenResponse, refreshTokenRequest } from "./token-request";

const CLIENT = { clientId: "walkthrough", clientSecret: "walkthrough-demo-secret" };
const TOKEN_URL = "http://localhost:3000/oauth/token";
const clock = () => new Date("2026-11-25T12:00:00Z");

/** A fetch that records what it was sent and answers with `answer`. */
function fakeFetch(answer: () => Response | Promise<Response>) {
  const sent: { url: string; init: RequestInit }[] = [];
  const impl = (async (url: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(url), init: init ?? {} });
    return answer();
  }) as Fetch;
  return { impl, sent };
}

describe("the client's requests (RFC 6749 §4.1.3, §6, §2.3.1; RFC 7009; RFC 7662; RFC 6750)", () => {
  it("builds the code exchange with client_secret_post, the redirect URI and the PKCE verifier", () => {
    expect(
      authorizationCodeRequest(
        TOKEN_URL,
        { code: "c", redirectUri: "http://localhost:3000/walkthrough/callback", codeVerifier: "v" },
        CLIENT,
      ),
    ).toEqual({
      method: "POST",
      url: TOKEN_URL,
      form: {
        grant_type: "authorization_code",
        code: "c",
        redirect_uri: "http://localhost:3000/walkthrough/callback",
        code_verifier: "v",
        client_id: "walkthrough",
        client_secret: "walkthrough-demo-secret",
      },
    });
    expect(refreshTokenRequest(TOKEN_URL, "r", CLIENT).form).toMatchObject({
      grant_type: "refresh_token",
      refresh_token: "r",
      client_id: "walkthrough",
    });
    expect(revocationRequest("http://as/revoke", "t", "refresh_token", CLIENT).form).toMatchObject({
      token: "t",
      token_type_hint: "refresh_token",
    });
    expect(introspectionRequest("http://as/introspect", "t", "access_token", CLIENT).form).toMatchObject({
      token: "t",
      token_type_hint: "access_token",
    });
    expect(apiRequest("http://rs", "/api/me", { accessToken: "at" })).toEqual({
      method: "GET",
      url: "http://rs/api/me",
      headers: { Authorization: "Bearer at" },
    });
    expect(apiRequest("http://rs", "/api/me")).toEqual({ method: "GET", url: "http://rs/api/me" });
  });

  it("sends the form and records it with the secret and every token masked, request and response", async () => {
    const tokens = {
      access_token: "eyJhbGciOiJFUzI1NiJ9.payload.signature-xyz",
      token_type: "Bearer",
      expires_in: 300,
      refresh_token: "r".repeat(43),
      id_token: "eyJ.id.token-abcdef",
    };
    const net = fakeFetch(() => Response.json(tokens, { headers: { "Cache-Control": "no-store", Date: "x", Vary: "rsc" } }));
    const r = await send(
      net.impl,
      authorizationCodeRequest(TOKEN_URL, { code: "the-code", redirectUri: "https://c/cb", codeVerifier: "the-verifier" }, CLIENT),
      clock,
    );
    expect(net.sent[0].init.method).toBe("POST");
    expect(net.sent[0].init.redirect).toBe("manual");
    expect(new URLSearchParams(String(net.sent[0].init.body)).get("client_secret")).toBe(CLIENT.clientSecret);
    expect(r.body).toEqual(tokens);
    const shown = JSON.stringify(r.exchange);
    for (const secret of [CLIENT.clientSecret, tokens.access_token, tokens.refresh_token, tokens.id_token])
      expect(shown).not.toContain(secret);
    expect(r.exchange.request.body).toMatchObject({ client_secret: "walk••••", code: "the-code", code_verifier: "the-verifier" });
    expect(r.exchange.request.headers["Content-Type"]).toBe("application/x-www-form-urlencoded");
    expect(r.exchange.response).toMatchObject({
      status: 200,
      headers: { "cache-control": "no-store" },
      body: { token_type: "Bearer", refresh_token: "rrrrrr…(43 chars)" },
    });
    expect(r.exchange.response!.headers).not.toHaveProperty("date");
    expect(r.exchange.response!.headers).not.toHaveProperty("vary");
  });

  it("masks the Authorization header of an API call, and records a network failure as no answer", async () => {
    const ok = await send(
      fakeFetch(() => new Response(null, { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="api", error="invalid_token"' } }))
        .impl,
      apiRequest("http://rs", "/api/me", { accessToken: "eyJhbGciOiJFUzI1NiJ9.abc.defghijklmnop" }),
      clock,
    );
    expect(ok.exchange.request.headers.Authorization).toBe("Bearer eyJhbG…(38 chars)");
    expect(readBearerChallenge(ok.headers.get("www-authenticate"))).toEqual({ realm: "api", error: "invalid_token" });
    const down = await send(
      (async () => {
        throw new TypeError("fetch failed");
      }) as Fetch,
      apiRequest("http://rs", "/api/me"),
      clock,
    );
    expect(down).toMatchObject({ status: 0, exchange: { networkError: "TypeError: fetch failed" } });
    expect(down.exchange.response).toBeUndefined();
  });

  it("reads token responses: success, the RFC 6749 §5.2 error, and malformed answers", () => {
    const at = new Date("2026-11-25T12:00:00Z");
    expect(
      readTokenResponse(200, { access_token: "a", token_type: "bearer", expires_in: 60, refresh_token: "r", scope: "openid" }, at),
    ).toEqual({
      ok: true,
      tokens: {
        receivedAt: at.toISOString(),
        accessToken: "a",
        tokenType: "bearer",
        expiresIn: 60,
        expiresAt: "2026-11-25T12:01:00.000Z",
        scope: "openid",
        refreshToken: "r",
      },
    });
    expect(readTokenResponse(400, { error: "invalid_grant", error_description: "used" }, at)).toEqual({
      ok: false,
      error: "invalid_grant",
      description: "used",
    });
    expect(readTokenResponse(200, { token_type: "Bearer" }, at)).toMatchObject({ ok: false, error: "invalid_response" });
    expect(readTokenResponse(200, { access_token: "a", token_type: "DPoP" }, at)).toMatchObject({ ok: false, error: "invalid_response" });
    expect(readTokenResponse(0, undefined, at)).toMatchObject({ ok: false, error: "network_error" });
    expect(oauthErrorOf({ error: "invalid_token" })).toEqual({ error: "invalid_token" });
    expect(isActive({ active: false })).toBe(false);
  });

  it("shows four characters of a client secret, and nothing of a short one", () => {
    expect(secretPreview("walkthrough-demo-secret")).toBe("walk••••");
    expect(secretPreview("short")).toBe("••••");
  });
});

describe("the clock skew the page counts down", () => {
  it("is the API's own", async () => {
    const { CLOCK_TOLERANCE_SECONDS } = await import("../../resource-server/verify-access-token");
    const { API_CLOCK_SKEW_SECONDS } = await import("./resource-request");
    expect(API_CLOCK_SKEW_SECONDS).toBe(CLOCK_TOLERANCE_SECONDS);
  });
});
