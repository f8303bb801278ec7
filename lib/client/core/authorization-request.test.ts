import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { codeChallengeS256, newAuthorizationRequestValues, randomValue } from "./authorization-request";
import { authorizationUrl } from "./authorization-url";

describe("state, nonce and PKCE (RFC 6749 §10.12, OpenID Connect Core §3.1.2.1, RFC 7636 §4.1–4.2)", () => {
  it("makes 256-bit base64url values: a 43-character verifier of the unreserved set", async () => {
    const values = await newAuthorizationRequestValues();
    for (const v of [values.state, values.nonce, values.codeVerifier, values.codeChallenge]) expect(v).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(values.codeVerifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
  });

  it("makes fresh values every time", async () => {
    const runs = await Promise.all(Array.from({ length: 50 }, () => newAuthorizationRequestValues()));
    for (const key of ["state", "nonce", "codeVerifier"] as const) expect(new Set(runs.map((r) => r[key])).size).toBe(50);
    expect(new Set(Array.from({ length: 100 }, () => randomValue())).size).toBe(100);
  });

  it("computes S256 as BASE64URL(SHA256(verifier)): the example of RFC 7636 Appendix B", async () => {
    expect(await codeChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    const { codeVerifier, codeChallenge } = await newAuthorizationRequestValues();
    expect(codeChallenge).toBe(createHash("sha256").update(codeVerifier).digest("base64url"));
  });
});

describe("the authorization URL (RFC 6749 §4.1.1)", () => {
  const input = {
    clientId: "walkthrough",
    redirectUri: "http://localhost:3000/walkthrough/callback",
    scopes: ["openid", "notes:read"],
    state: "s",
    nonce: "n",
    codeChallenge: "c",
  };

  it("carries every parameter of the request, S256 and the space-separated scope", () => {
    const url = new URL(authorizationUrl("http://localhost:3000/oauth/authorize", input));
    expect(url.origin + url.pathname).toBe("http://localhost:3000/oauth/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "walkthrough",
      redirect_uri: input.redirectUri,
      scope: "openid notes:read",
      state: "s",
      code_challenge: "c",
      code_challenge_method: "S256",
      nonce: "n",
    });
  });

  it("adds prompt only when asked, and keeps a query the endpoint already has", () => {
    expect(
      new URL(authorizationUrl("https://as.example/authorize?tenant=a", { ...input, prompt: ["login", "consent"] })).searchParams.get(
        "prompt",
      ),
    ).toBe("login consent");
    expect(new URL(authorizationUrl("https://as.example/authorize?tenant=a", input)).searchParams.get("tenant")).toBe("a");
    expect(new URL(authorizationUrl("https://as.example/authorize", { ...input, prompt: [] })).searchParams.has("prompt")).toBe(false);
  });
});
