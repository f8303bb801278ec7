import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { correlationIdFor } from "../../events";
import { createTestDatabase, pkcePair, seedClient, seedUser, testContext, type TestDatabase } from "../../../test/support/db";
import { registerClient } from "../registration";
import { createSession } from "../session";
import { handleAuthorize } from ".";

const REDIRECT = "http://localhost:3000/walkthrough/callback";
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedClient(t.db, { id: "run-client", secret: null, authMethod: "none", redirectUris: [REDIRECT], scopes: ["openid"] });
});
afterAll(async () => {
  await t?.close();
});

function authorize(params: Record<string, string>, headers: Record<string, string> = {}) {
  const url = new URL("http://localhost:3000/oauth/authorize");
  for (const [k, v] of Object.entries({
    response_type: "code",
    client_id: "run-client",
    redirect_uri: REDIRECT,
    scope: "openid",
    state: "s",
    ...params,
  }))
    url.searchParams.set(k, v);
  return handleAuthorize(new Request(url, { headers }), testContext(t.db));
}

describe("the events of a refused authorization request", () => {
  it("belong to the run whose challenge the request carries, even when it is refused before the challenge is checked", async () => {
    for (const [refusal, params] of [
      ["an unregistered redirect URI", { redirect_uri: "https://attacker.example/cb" }],
      ["a downgrade to plain", { code_challenge_method: "plain" }],
      ["an unknown scope", { scope: "openid admin" }],
    ] as const) {
      const { challenge } = pkcePair();
      const response = await authorize({ code_challenge: challenge, code_challenge_method: "S256", ...params });
      expect(response.status, refusal).toBeGreaterThanOrEqual(300);
      const events = await t.db.flowEvent.findMany({ where: { correlationId: correlationIdFor(challenge) } });
      expect(
        events.map((e) => [e.step, e.name, e.outcome]),
        refusal,
      ).toEqual([[1, "Authorization request refused", "error"]]);
    }
  });

  it("without a challenge, or with one that is not a challenge, gets a run of its own", async () => {
    const before = await t.db.flowEvent.count({ where: { name: "Authorization request refused" } });
    await authorize({});
    await authorize({ code_challenge: "x".repeat(500), code_challenge_method: "S256" });
    const refused = await t.db.flowEvent.findMany({ where: { name: "Authorization request refused" }, orderBy: { id: "desc" }, take: 2 });
    expect(await t.db.flowEvent.count({ where: { name: "Authorization request refused" } })).toBe(before + 2);
    expect(new Set(refused.map((e) => e.correlationId)).size).toBe(2);
    expect(refused.map((e) => e.correlationId)).not.toContain(correlationIdFor("x".repeat(500)));
  });

  it("carry the lab's or the self-check's label when the request names it, accepted or refused, with or without a challenge", async () => {
    const { challenge } = pkcePair();
    await authorize({ code_challenge: challenge, code_challenge_method: "S256" }, { "authcode-lab-run-origin": "self-check" });
    await authorize({}, { "authcode-lab-run-origin": "lab" });
    await authorize({}, { "authcode-lab-run-origin": "participant" });
    const [unlabelled, refused] = await t.db.flowEvent.findMany({ where: { step: 1 }, orderBy: { id: "desc" }, take: 2 });
    const accepted = await t.db.flowEvent.findFirstOrThrow({ where: { correlationId: correlationIdFor(challenge), step: 1 } });
    expect(accepted.name).toBe("Authorization request accepted");
    expect(JSON.parse(accepted.data).detail.origin).toBe("self-check");
    expect(JSON.parse(refused.data).detail.origin).toBe("lab");
    expect(JSON.parse(unlabelled.data).detail.origin).toBeUndefined();
  });
});

describe("a self-registered client's errors (RFC 9700 §4.11.2: no open redirector)", () => {
  const LANDING = "https://evil.example/landing";
  const request = (clientId: string, redirectUri: string, cookie?: string) => {
    const url = new URL("http://localhost:3000/oauth/authorize");
    const { challenge } = pkcePair();
    for (const [k, v] of Object.entries({
      response_type: "code",
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: "openid admin",
      state: "s",
      code_challenge: challenge,
      code_challenge_method: "S256",
    }))
      url.searchParams.set(k, v);
    return handleAuthorize(new Request(url, { headers: cookie ? { cookie } : {} }), testContext(t.db));
  };

  it("shows the error page until the user has signed in; then, and for a seeded client, redirects", async () => {
    const ctx = testContext(t.db);
    const { client_id } = await registerClient(
      ctx,
      { client_name: "Landing", redirect_uris: [LANDING], token_endpoint_auth_method: "none" },
      "10.9.0.1",
    );

    const unsigned = await request(client_id, LANDING);
    expect(unsigned.status).toBe(400);
    expect(unsigned.headers.get("location")).toBeNull();
    expect(await unsigned.text()).toContain("invalid_scope");
    const event = await t.db.flowEvent.findFirstOrThrow({ where: { clientId: client_id }, orderBy: { id: "desc" } });
    expect(JSON.parse(event.data).detail).toMatchObject({ error: "invalid_scope", redirected: false });

    const user = await seedUser(t.db, "carol");
    const { cookie } = await createSession(ctx, user.id);
    const signedIn = await request(client_id, LANDING, cookie.split(";")[0]);
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("location")).toMatch(/^https:\/\/evil\.example\/landing\?error=invalid_scope/);

    const seeded = await request("run-client", REDIRECT);
    expect(seeded.status).toBe(302);
    expect(seeded.headers.get("location")).toMatch(/^http:\/\/localhost:3000\/walkthrough\/callback\?error=invalid_scope/);
  });
});
