import { afterEach, describe, expect, it, vi } from "vitest";
import {
  bearerChallenge,
  errorResponse,
  invalidClient,
  invalidRedirectTarget,
  OAuthError,
  toOAuthError,
  type OAuthErrorCode,
} from "./errors";

afterEach(() => vi.restoreAllMocks());

describe("OAuthError status mapping", () => {
  it.each<[OAuthErrorCode, number]>([
    ["invalid_request", 400],
    ["unauthorized_client", 400],
    ["access_denied", 403],
    ["unsupported_response_type", 400],
    ["invalid_scope", 400],
    ["server_error", 500],
    ["temporarily_unavailable", 503],
    ["invalid_client", 401],
    ["invalid_grant", 400],
    ["unsupported_grant_type", 400],
    ["unsupported_token_type", 400],
    ["invalid_token", 401],
    ["insufficient_scope", 403],
    ["login_required", 400],
    ["consent_required", 400],
    ["interaction_required", 400],
  ])("%s -> %i", (code, status) => {
    expect(new OAuthError(code, "x").status).toBe(status);
  });

  it("defaults to redirectable with no extra headers, and an explicit status wins", () => {
    const e = new OAuthError("invalid_request", "bad");
    expect(e.redirectable).toBe(true);
    expect(e.headers).toEqual({});
    expect(e.message).toBe("invalid_request: bad");
    expect(e.name).toBe("OAuthError");
    expect(e).toBeInstanceOf(Error);
    expect(new OAuthError("invalid_request", "x", { status: 413 }).status).toBe(413);
  });

  it("invalidRedirectTarget is a non-redirectable invalid_request", () => {
    const e = invalidRedirectTarget("nope");
    expect(e.code).toBe("invalid_request");
    expect(e.redirectable).toBe(false);
    expect(e.status).toBe(400);
  });
});

describe("toOAuthError", () => {
  it("passes an OAuthError through unchanged", () => {
    const e = new OAuthError("invalid_grant", "expired");
    expect(toOAuthError(e)).toBe(e);
  });

  it("turns a plain Error into a generic server_error that hides its message", () => {
    const e = toOAuthError(new Error("SQLITE_CONSTRAINT: UNIQUE constraint failed: AccessToken.jti at /srv/app/lib/tokens.ts:42"));
    expect(e.code).toBe("server_error");
    expect(e.status).toBe(500);
    expect(e.description).toBe("The server could not complete the request.");
    expect(e.description).not.toMatch(/SQLITE|tokens\.ts/);
  });

  it("turns a thrown non-Error into server_error too", () => {
    expect(toOAuthError("boom").code).toBe("server_error");
    expect(toOAuthError(undefined).code).toBe("server_error");
  });
});

describe("errorResponse (RFC 6749 §5.2)", () => {
  it("is JSON {error, error_description} with the status and Cache-Control: no-store", async () => {
    const response = errorResponse(new OAuthError("invalid_grant", "The authorization code has expired."));
    expect(response.status).toBe(400);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("pragma")).toBe("no-cache");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ error: "invalid_grant", error_description: "The authorization code has expired." });
  });

  it("hides the internals of a plain Error (500, generic description) and logs it", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = errorResponse(new Error("secret internals: password=hunter2"));
    expect(response.status).toBe(500);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: "server_error", error_description: "The server could not complete the request." });
    expect(text).not.toContain("hunter2");
    expect(log).toHaveBeenCalledTimes(1);
  });

  it("adds the error's headers (Allow on 405)", () => {
    const response = errorResponse(new OAuthError("invalid_request", "Use POST.", { status: 405, headers: { Allow: "POST" } }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});

describe("invalidClient (RFC 6749 §5.2)", () => {
  it("with Basic credentials: 401 and a Basic WWW-Authenticate challenge", async () => {
    const e = invalidClient("Client authentication failed.", true);
    expect(e.code).toBe("invalid_client");
    expect(e.status).toBe(401);
    const response = errorResponse(e);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Basic realm="authcode-lab", charset="UTF-8"');
    expect(await response.json()).toEqual({ error: "invalid_client", error_description: "Client authentication failed." });
  });

  it("without Basic credentials: 401 and no WWW-Authenticate", () => {
    const response = errorResponse(invalidClient("Client authentication failed.", false));
    expect(response.status).toBe(401);
    expect(response.headers.has("www-authenticate")).toBe(false);
  });
});

describe("bearerChallenge (RFC 6750 §3)", () => {
  it("has no error attribute when the request carried no token", () => {
    expect(bearerChallenge("authcode-lab")).toBe('Bearer realm="authcode-lab"');
  });

  it("carries error, error_description and scope", () => {
    expect(bearerChallenge("api", new OAuthError("insufficient_scope", "Needs notes:write."), "notes:write")).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="Needs notes:write.", scope="notes:write"',
    );
    expect(bearerChallenge("api", new OAuthError("invalid_token", "The access token is invalid or expired."))).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The access token is invalid or expired."',
    );
  });

  it("never lets a quote or backslash break out of a quoted string", () => {
    const header = bearerChallenge('re"alm\\', new OAuthError("invalid_token", 'bad "token" \\ here'), 'a"b');
    expect(header).toBe(`Bearer realm="re'alm'", error="invalid_token", error_description="bad 'token' ' here", scope="a'b"`);
    // every attribute is a well-formed quoted string with nothing in between
    expect(header).toMatch(/^Bearer realm="[^"\\]*"(, [a-z_]+="[^"\\]*")*$/);
  });
});

describe("safeDescription (RFC 6749 §5.2 character set)", () => {
  it("keeps descriptions safe for a header, a JSON body and a redirect", () => {
    const e = new OAuthError("invalid_request", 'Unknown field "日本\\": see RFC 6750 §3.1…\r\nX-Injected: 1');
    expect(e.description).toBe("Unknown field '??'': see RFC 6750 section 3.1...??X-Injected: 1");
    expect(() => new Headers({ "WWW-Authenticate": bearerChallenge("realm", e) })).not.toThrow();
    expect(new OAuthError("invalid_request", "x".repeat(1000)).description).toHaveLength(300);
  });
});
