import { describe, expect, it } from "vitest";
import {
  bearerCredentials,
  BodyTooLarge,
  clientIp,
  modeOnlyFallback,
  getCookie,
  isSameOriginPost,
  readBody,
  readHtmlForm,
  refuseOversizedForm,
  withBoundedBody,
} from "./http";
import { recordPeerAddresses } from "./peer-address";

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

describe("clientIp (the per-IP limits' address)", () => {
  // What instrumentation-node.ts does with node:diagnostics_channel, played by hand.
  let listener: (message: unknown) => void = () => {};
  recordPeerAddresses((_name, l) => {
    listener = l;
  });
  const seen = (remoteAddress: string, headers: Record<string, string> = {}) => {
    const request = { headers: { ...headers } as Record<string, unknown> };
    listener({ request, socket: { remoteAddress } });
    return new Headers(request.headers as Record<string, string>);
  };

  it("with no trusted proxy, is the socket's address whatever X-Forwarded-For says", () => {
    expect(clientIp(seen("::ffff:192.0.2.1", { "x-forwarded-for": "203.0.113.9" }), 0)).toBe("192.0.2.1");
    expect(clientIp(seen("2001:db8::1"), 0)).toBe("2001:db8::1");
  });

  it("behind N proxies, is the N-th entry from the right; what the client put further left is ignored", () => {
    const headers = seen("10.0.0.2", { "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.0.0.1" });
    expect(clientIp(headers, 1)).toBe("10.0.0.1");
    expect(clientIp(headers, 2)).toBe("198.51.100.7");
    expect(clientIp(seen("10.0.0.2", { "x-forwarded-for": "198.51.100.7" }), 3)).toBe("198.51.100.7");
    expect(clientIp(seen("10.0.0.2"), 1)).toBe("10.0.0.2");
  });

  it("a request whose socket was not seen shares one bucket: a header the client sends is never its address", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.9" }), 0)).toBe("unknown");
  });
});

describe("bounded bodies for forms and libraries", () => {
  const big = () =>
    new Request("http://x/", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "a=" + "x".repeat(20_000),
    });

  it("refuseOversizedForm answers a form over its limit 413 with the error page", async () => {
    const response = await refuseOversizedForm(async () => new Response(String((await readHtmlForm(big(), 8192))?.get("a"))));
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toContain("text/html");
  });

  it("withBoundedBody gives a library a copy read only up to the limit", async () => {
    await expect(withBoundedBody(big(), 8192)).rejects.toBeInstanceOf(BodyTooLarge);
    const copy = await withBoundedBody(
      new Request("http://x/p?q=1", { method: "POST", headers: { "x-a": "1" }, body: "csrfToken=t" }),
      8192,
    );
    expect([copy.url, copy.method, copy.headers.get("x-a"), await copy.text()]).toEqual(["http://x/p?q=1", "POST", "1", "csrfToken=t"]);
  });
});

describe("modeOnlyFallback", () => {
  it("answers 404 while its mode is off, and 405 with Allow (RFC 9110 §15.5.6) while it is on", () => {
    let on = false;
    const other = modeOnlyFallback(() => on, "POST");
    const off = other();
    expect([off.status, off.headers.get("allow")]).toEqual([404, null]);
    on = true;
    const wrongMethod = other();
    expect([wrongMethod.status, wrongMethod.headers.get("allow"), wrongMethod.headers.get("cache-control")]).toEqual([
      405,
      "POST",
      "no-store",
    ]);
  });
});
