import { describe, expect, it } from "vitest";
import { OAuthError } from "../../oauth/errors";
import { matchRedirectUri, redirectWith } from "./check-redirect-uri";

const REGISTERED = ["https://client.example/cb", "http://127.0.0.1:8976/callback"];

function refusal(redirectUri: string | undefined): OAuthError {
  try {
    matchRedirectUri(redirectUri, REGISTERED);
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthError);
    return error as OAuthError;
  }
  throw new Error(`expected ${redirectUri} to be refused`);
}

describe("matchRedirectUri (RFC 6749 §3.1.2.3, RFC 9700 §4.1.3: exact string match)", () => {
  it("accepts each registered URI exactly", () => {
    expect(matchRedirectUri("https://client.example/cb", REGISTERED)).toBe("https://client.example/cb");
    expect(matchRedirectUri("http://127.0.0.1:8976/callback", REGISTERED)).toBe("http://127.0.0.1:8976/callback");
  });

  it.each([
    ["a trailing slash", "https://client.example/cb/"],
    ["a different path case", "https://client.example/CB"],
    ["a different host case", "https://CLIENT.example/cb"],
    ["a different scheme", "http://client.example/cb"],
    ["an extra query", "https://client.example/cb?next=/admin"],
    ["an empty query", "https://client.example/cb?"],
    ["an explicit default port", "https://client.example:443/cb"],
    ["a different port", "http://127.0.0.1:8977/callback"],
    ["a fragment", "https://client.example/cb#x"],
    ["userinfo with '@'", "https://client.example@evil.example/cb"],
    ["userinfo before the registered host", "https://evil.example@client.example/cb"],
    ["a longer path (no prefix match)", "https://client.example/cb/evil"],
    ["a suffix host", "https://client.example.evil.example/cb"],
    ["percent-encoding", "https://client.example/%63b"],
    ["localhost instead of 127.0.0.1", "http://localhost:8976/callback"],
    ["surrounding whitespace", " https://client.example/cb"],
  ])("refuses %s with a non-redirectable invalid_request", (_label, uri) => {
    const e = refusal(uri);
    expect(e.code).toBe("invalid_request");
    expect(e.status).toBe(400);
    expect(e.redirectable).toBe(false);
    expect(e.description).toBe("The redirect_uri is not registered for this client.");
  });

  it("refuses a missing redirect_uri without redirecting", () => {
    const e = refusal(undefined);
    expect(e.code).toBe("invalid_request");
    expect(e.redirectable).toBe(false);
    expect(e.description).toBe("The redirect_uri parameter is required.");
  });

  it("refuses everything when nothing is registered", () => {
    expect(() => matchRedirectUri("https://client.example/cb", [])).toThrow(OAuthError);
  });
});

describe("redirectWith (RFC 6749 §4.1.2)", () => {
  it("appends the parameters to the registered URI", () => {
    expect(redirectWith("https://client.example/cb", { code: "abc", state: "xyz", iss: "http://localhost:3000" })).toBe(
      "https://client.example/cb?code=abc&state=xyz&iss=http%3A%2F%2Flocalhost%3A3000",
    );
  });

  it("keeps the registered URI's existing query and appends after it", () => {
    const href = redirectWith("https://client.example/cb?tenant=a&x=1", { code: "abc", state: "s" });
    expect(href).toBe("https://client.example/cb?tenant=a&x=1&code=abc&state=s");
    const url = new URL(href);
    expect(url.searchParams.get("tenant")).toBe("a");
    expect(url.searchParams.get("code")).toBe("abc");
  });

  it("skips undefined values and encodes special characters", () => {
    const url = new URL(
      redirectWith("https://client.example/cb", { error: "access_denied", state: undefined, error_description: "a b&c=d" }),
    );
    expect(url.searchParams.has("state")).toBe(false);
    expect(url.searchParams.get("error_description")).toBe("a b&c=d");
    expect([...url.searchParams.keys()]).toEqual(["error", "error_description"]);
  });

  it("does not let a parameter value inject another parameter", () => {
    const url = new URL(redirectWith("https://client.example/cb", { state: "s&code=evil" }));
    expect(url.searchParams.get("state")).toBe("s&code=evil");
    expect(url.searchParams.has("code")).toBe(false);
  });
});
