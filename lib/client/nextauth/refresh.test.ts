import type { JWT } from "@auth/core/jwt";
import { describe, expect, it, vi } from "vitest";
import { clientSecretBasic, discover, revokeToken, type Fetch } from "./oauth";
import { needsRefresh, refreshIfExpiring, refreshMargin, type ClientEvent } from "./refresh";
import "./jwt";

const client = { id: "nextauth-demo", secret: "nextauth-demo-secret" };
let issuerCount = 0;

/** A fake authorization server: discovery plus a token endpoint answering with `token`. */
function fakeServer(token: (body: URLSearchParams, headers: Headers) => Response | Promise<Response>) {
  const issuer = `https://as-${++issuerCount}.example`;
  const calls: { url: string; body?: URLSearchParams; headers: Headers }[] = [];
  const fetchImpl = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    const body = init?.body instanceof URLSearchParams ? init.body : undefined;
    calls.push({ url, body, headers });
    if (url === `${issuer}/.well-known/openid-configuration`) {
      return Response.json({
        issuer,
        authorization_endpoint: `${issuer}/oauth/authorize`,
        token_endpoint: `${issuer}/oauth/token`,
        jwks_uri: `${issuer}/oauth/jwks`,
        revocation_endpoint: `${issuer}/oauth/revoke`,
      });
    }
    if (url === `${issuer}/oauth/token`) return token(body!, headers);
    if (url === `${issuer}/oauth/revoke`) return new Response(null, { status: 200 });
    return new Response("not found", { status: 404 });
  }) as unknown as Fetch;
  const events: { correlationId?: string; event: ClientEvent }[] = [];
  const deps = (now: number) => ({
    issuer,
    client,
    now,
    fetch: fetchImpl,
    record: async (correlationId: string | undefined, event: ClientEvent) => {
      events.push({ correlationId, event });
    },
  });
  return { issuer, calls, events, deps, fetchImpl };
}

const session = (overrides: Partial<JWT> = {}): JWT => ({
  name: "Alice Example",
  access_token: "at-1",
  refresh_token: "rt-1",
  expires_at: 1_000,
  expires_in: 300,
  correlationId: "run-1",
  ...overrides,
});

const tokenResponse = (body: Record<string, unknown>) =>
  Response.json({ token_type: "Bearer", expires_in: 300, ...body }, { headers: { "Cache-Control": "no-store" } });

describe("needsRefresh", () => {
  it("refreshes within 10 seconds of expiry, or a quarter of a short lifetime", () => {
    expect(refreshMargin(300)).toBe(10);
    expect(refreshMargin(8)).toBe(2);
    expect(needsRefresh(session(), 989)).toBe(false);
    expect(needsRefresh(session(), 990)).toBe(true);
    expect(needsRefresh(session({ expires_in: 8 }), 997)).toBe(false);
    expect(needsRefresh(session({ expires_in: 8 }), 998)).toBe(true);
    expect(needsRefresh(session({ error: "RefreshTokenError" }), 2_000)).toBe(false);
  });
});

describe("refreshIfExpiring", () => {
  it("leaves a fresh token alone, without a request", async () => {
    const as = fakeServer(() => tokenResponse({ access_token: "never" }));
    const token = session();
    expect(await refreshIfExpiring(token, as.deps(900))).toBe(token);
    expect(as.calls).toHaveLength(0);
  });

  it("refreshes with client_secret_basic, stores the rotated refresh token and records the event", async () => {
    const as = fakeServer((body, headers) => {
      expect(headers.get("authorization")).toBe(clientSecretBasic(client));
      expect(Object.fromEntries(body)).toEqual({ grant_type: "refresh_token", refresh_token: "rt-1" });
      return tokenResponse({ access_token: "at-2", refresh_token: "rt-2", expires_in: 60, scope: "openid notes:read" });
    });
    const token = await refreshIfExpiring(session(), as.deps(995));
    expect(token).toMatchObject({
      access_token: "at-2",
      refresh_token: "rt-2",
      expires_at: 1_055,
      expires_in: 60,
      scope: "openid notes:read",
      name: "Alice Example",
    });
    expect(token.error).toBeUndefined();
    expect(as.events).toEqual([
      expect.objectContaining({
        correlationId: "run-1",
        event: expect.objectContaining({ step: 7, name: "Client refreshed the access token", outcome: "ok" }),
      }),
    ]);
  });

  it("keeps the refresh token when the response carries none (RFC 6749 §6)", async () => {
    const as = fakeServer(() => tokenResponse({ access_token: "at-2" }));
    expect(await refreshIfExpiring(session({ refresh_token: "rt-keep" }), as.deps(1_000))).toMatchObject({
      access_token: "at-2",
      refresh_token: "rt-keep",
    });
  });

  it("on invalid_grant drops the tokens and asks for a new sign-in", async () => {
    const as = fakeServer(() =>
      Response.json({ error: "invalid_grant", error_description: "The refresh token has already been used or revoked." }, { status: 400 }),
    );
    const token = await refreshIfExpiring(session({ refresh_token: "rt-revoked" }), as.deps(1_000));
    expect(token).toMatchObject({ error: "RefreshTokenError", name: "Alice Example" });
    expect(token.access_token).toBeUndefined();
    expect(token.refresh_token).toBeUndefined();
    expect(token.error_description).toContain("invalid_grant: The refresh token has already been used or revoked.");
    expect(as.events[0].event).toMatchObject({ step: 7, outcome: "error", name: expect.stringContaining("invalid_grant") });
  });

  it("on another failure keeps the session as it was, says why, and tries again next time", async () => {
    let fail = true;
    const as = fakeServer(() =>
      fail ? new Response("oops", { status: 503 }) : tokenResponse({ access_token: "at-2", refresh_token: "rt-2" }),
    );
    const first = await refreshIfExpiring(session({ refresh_token: "rt-flaky" }), as.deps(1_000));
    expect(first).toMatchObject({
      access_token: "at-1",
      refresh_token: "rt-flaky",
      refresh_failure: expect.stringContaining("invalid_response"),
    });
    expect(first.error).toBeUndefined();
    fail = false;
    await new Promise((r) => setTimeout(r, 0));
    expect(await refreshIfExpiring(first, as.deps(1_001))).toMatchObject({
      access_token: "at-2",
      refresh_token: "rt-2",
      refresh_failure: undefined,
    });
  });

  it("two requests carrying the same refresh token share one refresh (no reuse detection at the AS)", async () => {
    const as = fakeServer(async () => {
      await new Promise((r) => setTimeout(r, 10));
      return tokenResponse({ access_token: "at-2", refresh_token: "rt-2" });
    });
    const [a, b] = await Promise.all([
      refreshIfExpiring(session({ refresh_token: "rt-shared" }), as.deps(1_000)),
      refreshIfExpiring(session({ refresh_token: "rt-shared" }), as.deps(1_000)),
    ]);
    expect(a.refresh_token).toBe("rt-2");
    expect(b.refresh_token).toBe("rt-2");
    expect(as.calls.filter((c) => c.url.endsWith("/oauth/token"))).toHaveLength(1);
  });

  it("without a refresh token, an expired session must sign in again", async () => {
    const as = fakeServer(() => tokenResponse({ access_token: "never" }));
    expect(await refreshIfExpiring(session({ refresh_token: undefined }), as.deps(1_000))).toMatchObject({ error: "RefreshTokenError" });
    expect(as.calls).toHaveLength(0);
  });
});

describe("the back channel", () => {
  it("client_secret_basic form-urlencodes the id and secret first (RFC 6749 §2.3.1)", () => {
    const header = clientSecretBasic({ id: "a b:c", secret: "p%ss+word" });
    expect(Buffer.from(header.slice("Basic ".length), "base64").toString()).toBe("a+b%3Ac:p%25ss%2Bword");
  });

  it("discovery refuses metadata whose issuer is not exactly the one asked for", async () => {
    const fetchImpl = (async () =>
      Response.json({
        issuer: "https://evil.example",
        authorization_endpoint: "https://evil.example/authorize",
        token_endpoint: "https://evil.example/token",
        jwks_uri: "https://evil.example/jwks",
      })) as unknown as Fetch;
    await expect(discover("https://as-mismatch.example", fetchImpl)).rejects.toThrow(
      /names the issuer https:\/\/evil.example, not https:\/\/as-mismatch.example/,
    );
  });

  it("revocation sends the token with its type hint and client authentication (RFC 7009 §2.1)", async () => {
    const as = fakeServer(() => tokenResponse({}));
    const metadata = await discover(as.issuer, as.fetchImpl);
    expect(await revokeToken(metadata, client, "rt-1", "refresh_token", as.fetchImpl)).toBe(200);
    const call = as.calls.find((c) => c.url.endsWith("/oauth/revoke"))!;
    expect(Object.fromEntries(call.body!)).toEqual({ token: "rt-1", token_type_hint: "refresh_token" });
    expect(call.headers.get("authorization")).toBe(clientSecretBasic(client));
  });
});
