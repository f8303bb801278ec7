import { describe, expect, it } from "vitest";
import { bearerCredentials, BodyTooLarge, getCookie, isSameOriginPost, readBody } from "./http";

describe("getCookie", () => {
  it("reads a cookie and treats a malformed value as absent (no exception, so no 500)", () => {
    const request = new Request("http://x/", { headers: { cookie: "a=1; authcode_session=%E0%A4%A; b=x%20y" } });
    expect(getCookie(request, "a")).toBe("1");
    expect(getCookie(request, "b")).toBe("x y");
    expect(getCookie(request, "authcode_session")).toBeUndefined();
  });
});

describe("readBody", () => {
  it("refuses a declared length over the limit before reading", async () => {
    const request = new Request("http://x/", { method: "POST", body: "a=1", headers: { "content-length": "100000" } });
    await expect(readBody(request, 10)).rejects.toBeInstanceOf(BodyTooLarge);
  });

  it("stops reading a chunked body at the limit", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
        if (pulled > 1000) controller.close();
      },
    });
    const request = new Request("http://x/", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    await expect(readBody(request, 8192)).rejects.toBeInstanceOf(BodyTooLarge);
    expect(pulled).toBeLessThan(20);
  });

  it("returns a body within the limit", async () => {
    expect(await readBody(new Request("http://x/", { method: "POST", body: "grant_type=x" }), 100)).toBe("grant_type=x");
  });
});

describe("isSameOriginPost", () => {
  const post = (headers: Record<string, string>) => new Request("http://app/", { method: "POST", headers });
  it("trusts Sec-Fetch-Site first, then Origin", () => {
    expect(isSameOriginPost(post({ "sec-fetch-site": "same-origin", origin: "null" }), "http://app")).toBe(true);
    expect(isSameOriginPost(post({ "sec-fetch-site": "cross-site", origin: "http://app" }), "http://app")).toBe(false);
    expect(isSameOriginPost(post({ origin: "http://evil" }), "http://app")).toBe(false);
    expect(isSameOriginPost(post({ origin: "http://app" }), "http://app")).toBe(true);
    expect(isSameOriginPost(post({}), "http://app")).toBe(true);
  });

  it("refuses Origin: null without Sec-Fetch-Site (plain http at a network address: a no-referrer page elsewhere)", () => {
    expect(isSameOriginPost(post({ origin: "null" }), "http://192.168.1.20:3000")).toBe(false);
  });
});

describe("bearerCredentials (RFC 6750 §2.1)", () => {
  it("reads the token, case-insensitively; another scheme is no credentials; a malformed Bearer is null", () => {
    expect(bearerCredentials("Bearer abc.def-_~+/=")).toBe("abc.def-_~+/=");
    expect(bearerCredentials("bearer  abc")).toBe("abc");
    expect(bearerCredentials(null)).toBeUndefined();
    expect(bearerCredentials("Basic dXNlcjpwYXNz")).toBeUndefined();
    expect(bearerCredentials("Bearer")).toBeNull();
    expect(bearerCredentials("Bearer a b")).toBeNull();
    expect(bearerCredentials("Bearer a,b")).toBeNull();
  });
});
