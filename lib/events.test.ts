import { describe, expect, it } from "vitest";
import { bodyShape, capData, capText, correlationIdFor, EVENT_FIELD_CAP, mask, redact, redactUrl } from "./events";

const SECRET = "s3cr3t-value-that-is-long-enough-to-keep-a-prefix";

/** True when no 4-character window of `secret` appears in `text`. */
const leaksNothingOf = (text: string, secret: string) => {
  for (let i = 0; i + 4 <= secret.length; i++) if (text.includes(secret.slice(i, i + 4))) return false;
  return true;
};

describe("mask", () => {
  it("hides short values entirely and keeps a 6-character prefix of long ones", () => {
    expect(mask("short")).toBe("••••");
    expect(mask("12345678")).toBe("••••");
    expect(mask("abcdefghijkl")).toBe("abcdef…(12 chars)");
  });
});

describe("redact", () => {
  it.each([
    "client_secret",
    "code",
    "code_verifier",
    "refresh_token",
    "access_token",
    "id_token",
    "token",
    "csrf",
    "session",
    "cookie",
    "set-cookie",
  ])("masks %s", (name) => {
    const out = redact({ [name]: SECRET }) as Record<string, string>;
    expect(out[name]).not.toBe(SECRET);
    expect(out[name]).toBe(mask(SECRET));
    expect(out[name]).not.toContain(SECRET.slice(6));
  });

  it("masks a password completely: no part of it and not its length", () => {
    const password = "correct-horse-battery-staple";
    const out = redact({ username: "alice", password }) as Record<string, string>;
    expect(out.username).toBe("alice");
    expect(out.password).not.toBe(password);
    expect(leaksNothingOf(JSON.stringify(out), password)).toBe(true);
    expect(out.password).not.toContain(String(password.length));
  });

  it("masks a short password too", () => {
    expect((redact({ password: "hunter2" }) as Record<string, string>).password).toBe("••••");
  });

  it("matches names case-insensitively (Authorization header)", () => {
    const out = redact({ Authorization: `Bearer ${SECRET}`, "Set-Cookie": `sid=${SECRET}` }) as Record<string, string>;
    expect(out.Authorization).toBe(`Bearer ${mask(SECRET)}`);
    expect(out["Set-Cookie"]).toBe(mask(`sid=${SECRET}`));
  });

  it("keeps the scheme of Basic and Bearer credentials and masks the rest", () => {
    const basic = Buffer.from("nextauth-demo:nextauth-demo-secret").toString("base64");
    const out = redact({ headers: { authorization: `Basic ${basic}` } }) as { headers: Record<string, string> };
    expect(out.headers.authorization).toBe(`Basic ${mask(basic)}`);
    expect(out.headers.authorization.startsWith("Basic ")).toBe(true);
    expect(out.headers.authorization).not.toContain(basic);
    const bearer = redact({ authorization: "bearer eyJhbGciOiJFUzI1NiJ9.payload.sig" }) as Record<string, string>;
    expect(bearer.authorization).toBe(`bearer ${mask("eyJhbGciOiJFUzI1NiJ9.payload.sig")}`);
  });

  it("keeps the DPoP scheme (RFC 9449 §7.1) and masks its token, and never keeps a DPoP proof whole", () => {
    const token = "eyJhbGciOiJFUzI1NiJ9.payload.sig";
    const out = redact({ authorization: `DPoP ${token}`, DPoP: "eyJ0eXAiOiJkcG9wK2p3dCJ9.proof.signature" }) as Record<string, string>;
    expect(out.authorization).toBe(`DPoP ${mask(token)}`);
    expect(out.DPoP).toBe(mask("eyJ0eXAiOiJkcG9wK2p3dCJ9.proof.signature"));
    expect(out.DPoP).not.toContain("signature");
  });

  it("masks secrets in nested objects and arrays", () => {
    const input = {
      http: {
        request: {
          method: "POST",
          url: "http://localhost:3000/token",
          body: { grant_type: "authorization_code", code: SECRET, client_id: "walkthrough" },
        },
        response: {
          status: 200,
          body: { access_token: SECRET, token_type: "Bearer", expires_in: 300, refresh_token: SECRET, scope: "openid" },
        },
      },
      list: [{ client_secret: SECRET, name: "x" }, { nested: [{ id_token: SECRET }] }],
      token: [SECRET, SECRET],
    };
    const out = redact(input) as typeof input;
    expect(out.http.request.body).toEqual({ grant_type: "authorization_code", code: mask(SECRET), client_id: "walkthrough" });
    expect(out.http.response.body).toEqual({
      access_token: mask(SECRET),
      token_type: "Bearer",
      expires_in: 300,
      refresh_token: mask(SECRET),
      scope: "openid",
    });
    expect(out.list).toEqual([{ client_secret: mask(SECRET), name: "x" }, { nested: [{ id_token: mask(SECRET) }] }]);
    expect(out.token).toEqual([mask(SECRET), mask(SECRET)]);
    expect(JSON.stringify(out)).not.toContain(SECRET);
  });

  it("leaves non-secret fields, numbers, booleans and null unchanged, and does not mutate its input", () => {
    const input = {
      client_id: "walkthrough",
      state: "af0ifjsldkj",
      scope: "openid profile",
      status: 200,
      ok: true,
      nothing: null,
      nonce: "n-0S6_WzA2Mj",
    };
    const copy = structuredClone(input);
    expect(redact(input)).toEqual(copy);
    const withSecret = { code: SECRET, keep: "x" };
    redact(withSecret);
    expect(withSecret.code).toBe(SECRET);
  });

  it("does not mask by value: a secret-looking value under an innocent name stays", () => {
    expect(redact({ www_authenticate: 'Bearer realm="api"' })).toEqual({ www_authenticate: 'Bearer realm="api"' });
  });

  it("keeps a field named __proto__ a field, redacted like any other, and the copy's prototype untouched", () => {
    const sent = JSON.parse(`{"__proto__": {"password": "hunter2", "polluted": "yes"}, "state": "s"}`) as Record<string, unknown>;
    const out = redact(sent) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: string }).polluted).toBeUndefined();
    expect(JSON.parse(JSON.stringify(out))).toEqual(JSON.parse(`{"__proto__": {"password": "••••", "polluted": "yes"}, "state": "s"}`));
  });
});

describe("redactUrl", () => {
  it("masks the code of an authorization response and keeps state and iss", () => {
    const href = redactUrl(`https://client.example/cb?code=${SECRET}&state=xyz&iss=http%3A%2F%2Flocalhost%3A3000`);
    const url = new URL(href);
    expect(url.searchParams.get("code")).toBe(mask(SECRET));
    expect(url.searchParams.get("state")).toBe("xyz");
    expect(url.searchParams.get("iss")).toBe("http://localhost:3000");
    expect(href).not.toContain(SECRET);
  });

  it("masks tokens in a query too", () => {
    const href = redactUrl(`http://localhost:3000/x?access_token=${SECRET}&a=1`);
    expect(href).not.toContain(SECRET);
    expect(new URL(href).searchParams.get("a")).toBe("1");
  });

  it("masks a client_secret, code_verifier, password or token wrongly put in an authorization URL, stored as any event's url", () => {
    const names = ["client_secret", "code_verifier", "access_token", "refresh_token", "id_token", "Client_Secret"];
    const href = `http://localhost:3000/oauth/authorize?client_id=walkthrough&${names.map((n) => `${n}=${SECRET}`).join("&")}&password=hunter2-hunter2&state=xyz`;
    const stored = redact({ http: { request: { method: "GET", url: href } } }) as { http: { request: { url: string } } };
    const url = new URL(stored.http.request.url);
    for (const name of names) expect(url.searchParams.get(name)).toBe(mask(SECRET));
    expect(url.searchParams.get("password")).toBe("••••");
    expect(url.searchParams.get("state")).toBe("xyz");
    expect(stored.http.request.url).not.toContain(SECRET);
    expect(stored.http.request.url).not.toContain("hunter2");
  });

  it("masks once: a URL masked already keeps its masks (and their lengths)", () => {
    const once = redactUrl(`https://client.example/cb?code=${SECRET}`);
    expect(redactUrl(once)).toBe(once);
    expect(redact({ location: once })).toEqual({ location: once });
  });

  it("leaves a URL without secrets as it was, and returns a non-URL unchanged", () => {
    expect(redactUrl("https://client.example/cb?state=xyz")).toBe("https://client.example/cb?state=xyz");
    expect(redactUrl("not a url")).toBe("not a url");
  });
});

describe("correlationIdFor", () => {
  it("derives one short id per code_challenge, the same in every role", () => {
    const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    expect(correlationIdFor(challenge)).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(correlationIdFor(challenge)).toBe(correlationIdFor(challenge));
    expect(correlationIdFor(challenge)).not.toBe(correlationIdFor(challenge.replace("E9", "F9")));
  });
});

describe("bodyShape", () => {
  it("keeps error bodies and replaces user data by its shape", () => {
    expect(bodyShape({ error: "invalid_token", error_description: "expired" })).toEqual({
      error: "invalid_token",
      error_description: "expired",
    });
    expect(bodyShape({ sub: "u1", email: "alice@example.com", notes: [{ text: "secret plans" }, {}], n: 2, x: null })).toEqual({
      sub: "(string)",
      email: "(string)",
      notes: "(2 items)",
      n: "(number)",
      x: null,
    });
    expect(JSON.stringify(bodyShape({ note: { text: "secret plans" } }))).not.toContain("secret plans");
  });
});

describe("the cap on a stored event field", () => {
  it("cuts text to the cap with a marker that says how long it was", () => {
    expect(capText("short", 2048)).toBe("short");
    const cut = capText("é".repeat(3000), 2048);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(2048);
    expect(cut).toMatch(/…\[truncated: 6000 bytes\]$/);
  });

  it("keeps an event's data within the cap: long strings cut first, the rest readable; too many fields replaced by a marker", () => {
    const url = `http://localhost:3000/oauth/authorize?client_id=${"x".repeat(8000)}`;
    const stored = capData({ http: { request: { method: "GET", url } }, detail: { error: "invalid_client" } });
    expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(EVENT_FIELD_CAP);
    const data = JSON.parse(stored) as { http: { request: { method: string; url: string } }; detail: { error: string } };
    expect(data.detail.error).toBe("invalid_client");
    expect(data.http.request.method).toBe("GET");
    expect(data.http.request.url).toMatch(/^http:\/\/localhost:3000\/oauth\/authorize\?client_id=x+…\[truncated: \d+ bytes\]$/);

    const many = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`p${i}`, "v"]));
    expect(JSON.parse(capData({ http: { request: { body: many } } }))).toEqual({
      truncated: expect.stringMatching(/^\[event data of \d+ bytes truncated\]$/),
    });
    const small = { http: { request: { method: "GET", url: "http://localhost:3000/x" } } };
    expect(capData(small)).toBe(JSON.stringify(small));
  });
});
