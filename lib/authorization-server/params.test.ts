import { describe, expect, it } from "vitest";
import { OAuthError } from "../oauth/errors";
import { paramsFrom, readForm, required } from "./params";

const FORM = "application/x-www-form-urlencoded";

async function rejection(promise: Promise<unknown>): Promise<OAuthError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthError);
    return error as OAuthError;
  }
  throw new Error("expected an OAuthError");
}

function syncError(fn: () => unknown): OAuthError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthError);
    return error as OAuthError;
  }
  throw new Error("expected an OAuthError");
}

const post = (body: string | Uint8Array, contentType: string | null = FORM, init: RequestInit = {}) =>
  new Request("http://localhost:3000/token", {
    method: "POST",
    headers: contentType === null ? {} : { "Content-Type": contentType },
    body: body as BodyInit,
    ...init,
  });

describe("paramsFrom (RFC 6749 §3.1, §3.2)", () => {
  it("returns one value per parameter", () => {
    const params = paramsFrom(new URLSearchParams("response_type=code&client_id=c1&scope=openid+profile"));
    expect([...params.entries()]).toEqual([
      ["response_type", "code"],
      ["client_id", "c1"],
      ["scope", "openid profile"],
    ]);
  });

  it("refuses a repeated parameter with invalid_request naming it", () => {
    const e = syncError(() => paramsFrom(new URLSearchParams("client_id=a&state=1&client_id=b")));
    expect(e.code).toBe("invalid_request");
    expect(e.status).toBe(400);
    expect(e.description).toBe("The client_id parameter is repeated.");
  });

  it("refuses a parameter repeated with the same value too", () => {
    expect(syncError(() => paramsFrom(new URLSearchParams("scope=openid&scope=openid"))).code).toBe("invalid_request");
  });

  it("treats a parameter without a value as omitted", () => {
    const params = paramsFrom(new URLSearchParams("state=&client_id=c1&nonce"));
    expect(params.has("state")).toBe(false);
    expect(params.has("nonce")).toBe(false);
    expect(params.get("client_id")).toBe("c1");
  });

  it("does not count an empty occurrence as a repetition", () => {
    expect(paramsFrom(new URLSearchParams("state=&state=abc")).get("state")).toBe("abc");
  });

  it("accepts a value of 4096 characters and refuses 4097 with invalid_request", () => {
    expect(paramsFrom(new URLSearchParams({ state: "s".repeat(4096) })).get("state")).toHaveLength(4096);
    const e = syncError(() => paramsFrom(new URLSearchParams({ state: "s".repeat(4097) })));
    expect(e.code).toBe("invalid_request");
    expect(e.description).toBe("The state parameter is too long.");
  });

  it("carries the redirectable flag", () => {
    expect(syncError(() => paramsFrom(new URLSearchParams("a=1&a=2"), false)).redirectable).toBe(false);
    expect(syncError(() => paramsFrom(new URLSearchParams("a=1&a=2"))).redirectable).toBe(true);
  });
});

describe("required", () => {
  it("returns the value or refuses with invalid_request naming the parameter", () => {
    const params = paramsFrom(new URLSearchParams("grant_type=authorization_code&code="));
    expect(required(params, "grant_type")).toBe("authorization_code");
    const e = syncError(() => required(params, "code"));
    expect(e.code).toBe("invalid_request");
    expect(e.description).toBe("The code parameter is required.");
  });
});

describe("readForm (RFC 6749 §4.1.3)", () => {
  it("reads an urlencoded body, with a charset parameter and any case of the media type", async () => {
    const params = await readForm(post("grant_type=authorization_code&code=abc%2B1", "Application/X-WWW-Form-Urlencoded; charset=UTF-8"));
    expect(params.get("grant_type")).toBe("authorization_code");
    expect(params.get("code")).toBe("abc+1");
  });

  it("refuses GET with 405 and Allow: POST", async () => {
    const e = await rejection(readForm(new Request("http://localhost:3000/token?grant_type=authorization_code", { method: "GET" })));
    expect(e.code).toBe("invalid_request");
    expect(e.status).toBe(405);
    expect(e.headers).toEqual({ Allow: "POST" });
  });

  it("refuses PUT with 405", async () => {
    const e = await rejection(
      readForm(new Request("http://localhost:3000/token", { method: "PUT", body: "a=1", headers: { "Content-Type": FORM } })),
    );
    expect(e.status).toBe(405);
  });

  it.each([
    ["JSON", "application/json"],
    ["multipart", "multipart/form-data; boundary=x"],
    ["text", "text/plain"],
  ])("refuses a %s body with invalid_request 400", async (_label, type) => {
    const e = await rejection(readForm(post("grant_type=authorization_code", type)));
    expect(e.code).toBe("invalid_request");
    expect(e.status).toBe(400);
    expect(e.description).toBe("The body must be application/x-www-form-urlencoded.");
  });

  it("refuses a body without a content type", async () => {
    const e = await rejection(readForm(post(new TextEncoder().encode("grant_type=authorization_code"), null)));
    expect(e.code).toBe("invalid_request");
    expect(e.status).toBe(400);
  });

  it("accepts a body of exactly 64 KiB and refuses one byte more with 413", async () => {
    const fits = `a=${"x".repeat(64 * 1024 - 2)}`;
    // within the body limit, but the value itself is over 4096 characters: refused as too long, not too large
    const tooLongValue = await rejection(readForm(post(fits)));
    expect(tooLongValue.status).toBe(400);

    const e = await rejection(readForm(post(`${fits}x`)));
    expect(e.code).toBe("invalid_request");
    expect(e.status).toBe(413);
    expect(e.description).toBe("The request body is too large.");
  });

  it("refuses an oversized body of many small parameters with 413", async () => {
    const body = Array.from({ length: 10_000 }, (_, i) => `p${i}=xxxx`).join("&");
    expect(body.length).toBeGreaterThan(64 * 1024);
    const e = await rejection(readForm(post(body)));
    expect(e.status).toBe(413);
  });

  it("counts the limit in bytes, not characters", async () => {
    // 40,000 two-byte characters: 80,000 bytes, over the 64 KiB limit.
    const body = `a=${"é".repeat(40_000)}`;
    const e = await rejection(readForm(post(body, "application/x-www-form-urlencoded; charset=UTF-8")));
    expect(e.status).toBe(413);
  });

  it("refuses a declared Content-Length over the limit before reading the body", async () => {
    const request = new Request("http://localhost:3000/token", {
      method: "POST",
      headers: { "Content-Type": FORM, "Content-Length": String(64 * 1024 + 1) },
      body: "a=1",
    });
    const e = await rejection(readForm(request));
    expect(e.status).toBe(413);
    expect(request.bodyUsed).toBe(false);
  });
});
