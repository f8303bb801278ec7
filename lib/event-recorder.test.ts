import { describe, expect, it } from "vitest";
import { eventName, flowEventOf } from "./event-recorder";
import type { DomainEvent, DomainEventType } from "./oauth/events";

/** One event of every type, with the fields its type asks for. */
const EXAMPLES: { [T in DomainEventType]: Omit<Extract<DomainEvent, { type: T }>, "type" | "run"> } = {
  "authorization.pushed": { scope: "openid", expiresInSeconds: 60, marks: {} },
  "authorization.push-refused": { error: "invalid_request", description: "no", marks: {} },
  "authorization.accepted": { scope: "openid", prompt: [], pushed: false, marks: {} },
  "authorization.refused": { error: "invalid_scope", description: "no", redirected: true, marks: { origin: "lab" } },
  "sign-in.limited": {},
  "sign-in.failed": {},
  "sign-in.succeeded": {},
  "consent.denied": {},
  "consent.granted": { scope: "openid" },
  "code.issued": { scope: "openid", lifetimeSeconds: 60 },
  "client.authentication-failed": {},
  "code.refused": { error: "invalid_grant", description: "no" },
  "code.foreign": {},
  "code.expired": {},
  "code.spent-without-proof": { error: "invalid_grant", description: "no" },
  "code.replayed": {},
  "code.accepted-despite-check": {},
  "dpop.refused": { error: "invalid_dpop_proof", description: "no" },
  "tokens.issued": { scope: "openid", accessTokenLifetimeSeconds: 300, refreshToken: true, idToken: true, tokenType: "DPoP", jkt: "thumb" },
  "refresh.rotated": { scope: "openid", tokenType: "Bearer", jkt: null },
  "refresh.refused": { error: "invalid_grant", description: "no" },
  "refresh.retried": { reuseIntervalSeconds: 10 },
  "refresh.reused": {},
  "refresh.expired": {},
  "refresh.accepted-despite-rotation": {},
  "grant.revoked": {},
  "token.revoked": { jti: "j1" },
  "userinfo.served": {},
  "access.revoked-by-user": { grants: 1, accessTokens: 2, refreshTokens: 1 },
  "run.expired": { codes: 1, accessTokens: 0 },
  "api.called": { resource: "Read notes", scopeRequired: "notes:read", withToken: true },
  "api.served": { resource: "Read notes", status: 200, checks: [], revocationCheck: "jti" },
  "api.refused": { check: "exp", description: "expired", checks: [], revocationCheck: "jti" },
};
const all = Object.entries(EXAMPLES).map(([type, fields]) => ({ type, run: "run-1", ...fields }) as DomainEvent);

describe("the event recorder", () => {
  it("maps every event to one of the seven steps, a role and a name", () => {
    for (const event of all) {
      const stored = flowEventOf(event);
      expect(stored.step, event.type).toBeGreaterThanOrEqual(1);
      expect(stored.step, event.type).toBeLessThanOrEqual(7);
      expect(stored.role, event.type).toMatch(/^(authorization-server|resource-server)$/);
      expect(stored.name.length, event.type).toBeGreaterThan(0);
      expect(stored.correlationId).toBe("run-1");
    }
  });

  it("keeps a DPoP token's type and key thumbprint as detail, and nothing for a bearer token's key", () => {
    expect(flowEventOf({ type: "tokens.issued", run: "r", ...EXAMPLES["tokens.issued"] }).detail).toMatchObject({
      tokenType: "DPoP",
      jkt: "thumb",
    });
    expect(flowEventOf({ type: "refresh.rotated", run: "r", ...EXAMPLES["refresh.rotated"] }).detail).toEqual({
      scope: "openid",
      tokenType: "Bearer",
    });
  });

  it("gives each type its own name, so a lookup by name finds one kind of event", () => {
    const names = all.map((e) => flowEventOf(e).name);
    expect(new Set(names).size).toBe(names.length);
    expect(eventName("code.replayed")).toBe("Code replay detected: the tokens it produced are revoked");
    expect(() => eventName("run.expired")).toThrow(/depends on the event/);
  });

  it("puts the resource server's events in steps 6 and 7, and the instructor's expiry in the step of what it ended", () => {
    expect(flowEventOf({ type: "api.called", run: "r", ...EXAMPLES["api.called"] })).toMatchObject({ role: "resource-server", step: 6 });
    expect(flowEventOf({ type: "api.refused", run: "r", ...EXAMPLES["api.refused"] })).toMatchObject({ step: 7, outcome: "error" });
    expect(flowEventOf({ type: "api.served", run: "r", ...EXAMPLES["api.served"], status: 404 }).outcome).toBe("error");
    expect(flowEventOf({ type: "run.expired", run: "r", codes: 1, accessTokens: 0 })).toMatchObject({
      step: 3,
      name: "The instructor expired this run's authorization code now",
    });
    expect(flowEventOf({ type: "run.expired", run: "r", codes: 1, accessTokens: 2 })).toMatchObject({
      step: 5,
      name: "The instructor expired this run's authorization code and access token now",
    });
  });

  it("never keeps the username typed at a failed sign-in (it may be a password), nor the password", () => {
    const stored = flowEventOf({
      type: "sign-in.failed",
      run: "r",
      http: { request: { method: "POST", url: "http://as/login/submit", body: { username: "hunter2-typed-early", password: "pw" } } },
    });
    expect(JSON.stringify(stored)).not.toContain("hunter2");
    expect(stored.http?.request?.body?.username).toMatch(/^\(not stored/);
  });

  it("keeps only the shape of a served body, and an error body whole", () => {
    const served = flowEventOf({
      type: "userinfo.served",
      run: "r",
      http: { response: { status: 200, body: { sub: "u1", email: "alice@example.test" } } },
    });
    expect(served.http?.response?.body).toEqual({ sub: "(string)", email: "(string)" });
    const refused = flowEventOf({
      type: "api.refused",
      run: "r",
      ...EXAMPLES["api.refused"],
      http: { response: { status: 401, body: { error: "invalid_token", error_description: "expired" } } },
    });
    expect(refused.http?.response?.body).toEqual({ error: "invalid_token", error_description: "expired" });
  });
});
