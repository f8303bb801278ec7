import { describe, expect, it } from "vitest";
import { bearerError, headerText, hiddenInput, LabAgent } from "./http";
import { claimsOf, unsignedToken } from "./tokens";

describe("the lab's user agent", () => {
  it("records exchanges with codes, secrets, passwords and bearer tokens masked", async () => {
    const fetchImpl = (async () =>
      new Response(JSON.stringify({ access_token: "eyJhbGciOiJFUzI1NiJ9.secret-part.signature" }), {
        status: 200,
        headers: { "Content-Type": "application/json" },
      })) as typeof fetch;
    const agent = new LabAgent("http://localhost:3000", fetchImpl);
    await agent.send("token", {
      url: "http://localhost:3000/oauth/token?code=abcdefghijklmnop",
      form: { code: "abcdefghijklmnop", client_secret: "walkthrough-demo-secret", password: "alice-demo-password" },
      headers: { Authorization: "Bearer eyJhbGciOiJFUzI1NiJ9.payload.sig" },
    });
    const shown = JSON.stringify(agent.exchanges);
    for (const secret of ["abcdefghijklmnop", "walkthrough-demo-secret", "alice-demo-password", "secret-part", "payload.sig"])
      expect(shown).not.toContain(secret);
    expect(agent.exchanges[0]).toMatchObject({ label: "token", method: "POST", status: 200 });
  });

  it("keeps cookies for its own origin only, as a browser would", async () => {
    const seen: (string | null)[] = [];
    const fetchImpl = (async (_url: URL, init: RequestInit) => {
      seen.push(new Headers(init.headers).get("cookie"));
      return new Response("", { status: 302, headers: { "Set-Cookie": "as_session=abc; Path=/; HttpOnly", Location: "/next" } });
    }) as unknown as typeof fetch;
    const agent = new LabAgent("http://localhost:3000", fetchImpl);
    const first = await agent.send("one", { url: "http://localhost:3000/a", browser: true });
    await agent.send("two", { url: "http://localhost:3000/b", browser: true });
    await agent.send("elsewhere", { url: "http://other.example/c", browser: true });
    expect(seen).toEqual([null, "as_session=abc", null]);
    expect(first.location?.href).toBe("http://localhost:3000/next");
  });
});

describe("reading refusals", () => {
  it("reads a Bearer challenge, UTF-8 included", () => {
    const header = Buffer.from('Bearer realm="api", error="invalid_token", error_description="alg none (RFC 8725 §3.1)."', "utf8").toString(
      "latin1",
    );
    expect(bearerError(header)).toEqual({ error: "invalid_token", description: "alg none (RFC 8725 §3.1)." });
    expect(headerText("plain")).toBe("plain");
  });

  it("reads a hidden input of a form", () => {
    expect(hiddenInput('<form><input type="hidden" name="csrf" value="a&amp;b"><input name="x" value="y"></form>', "csrf")).toBe("a&b");
  });

  it("makes an unsigned token with the claims it is given", () => {
    const token = unsignedToken({ sub: "u1", aud: "api" });
    expect(token.endsWith(".")).toBe(true);
    expect(claimsOf(token)).toEqual({ sub: "u1", aud: "api" });
  });
});
