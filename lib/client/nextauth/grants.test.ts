import { describe, expect, it } from "vitest";
import { fetchAccountGrants, grantsOf } from "./grants";

const ISSUER = "http://127.0.0.1:3000";

describe("the next-auth client reads the user's grants", () => {
  it("sends the access token as Bearer to /account/grants, and keeps the answer as sent", async () => {
    const seen: { url: string; authorization: string | null }[] = [];
    const fake = async (url: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(url), authorization: new Headers(init?.headers).get("authorization") });
      return Response.json({ sub: "u1", grants: [{ client_id: "c1", client_name: "C", self_registered: true, scope: "openid" }] });
    };
    const { answer, event } = await fetchAccountGrants(ISSUER, "the-token", fake as typeof fetch);
    expect(seen).toEqual([{ url: `${ISSUER}/account/grants`, authorization: "Bearer the-token" }]);
    expect(grantsOf(answer)).toEqual([{ client_id: "c1", client_name: "C", self_registered: true, scope: "openid" }]);
    expect(event).toMatchObject({ step: 6, outcome: "ok" });
  });

  it("a refusal is no list: its status and challenge are kept", async () => {
    const fake = async () =>
      new Response(JSON.stringify({ error: "invalid_token" }), {
        status: 401,
        headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' },
      });
    const { answer, event } = await fetchAccountGrants(ISSUER, "t", fake as unknown as typeof fetch);
    expect(answer).toMatchObject({ status: 401, wwwAuthenticate: 'Bearer error="invalid_token"' });
    expect(grantsOf(answer)).toBeUndefined();
    expect(event.outcome).toBe("error");
  });
});
