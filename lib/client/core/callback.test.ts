import { describe, expect, it } from "vitest";
import { checkAuthorizationResponse, type Expected } from "./callback";

const ISSUER = "http://localhost:3000";
const expected: Expected = { state: "the-state-of-this-run", issuer: ISSUER, issRequired: true };
const check = (query: Record<string, string> | string, e: Expected = expected) => checkAuthorizationResponse(new URLSearchParams(query), e);
const names = (r: ReturnType<typeof check>) => Object.fromEntries(r.verdict.checks.map((c) => [c.name, c.pass]));

describe("the authorization response at the redirect URI (RFC 6749 §4.1.2, RFC 9207)", () => {
  it("accepts a code with the run's state and the issuer's iss", () => {
    const r = check({ code: "abc", state: expected.state, iss: ISSUER });
    expect(r.verdict.outcome).toBe("code");
    expect(names(r)).toEqual({ "iss matches the issuer": true, "state matches": true });
    expect(r.response.code).toBe("abc");
  });

  it("refuses a state that is not the run's (CSRF, RFC 6749 §10.12)", () => {
    const r = check({ code: "abc", state: "forged", iss: ISSUER });
    expect(r.verdict).toMatchObject({ outcome: "refused", reason: "state matches: failed" });
    expect(r.verdict.checks.find((c) => c.name === "state matches")).toMatchObject({
      pass: false,
      expected: expected.state,
      actual: "forged",
    });
  });

  it("refuses a response without a state", () => {
    expect(check({ code: "abc", iss: ISSUER }).verdict).toMatchObject({ outcome: "refused", reason: "state matches: failed" });
  });

  it("refuses another issuer's response (mix-up, RFC 9207 §2.4)", () => {
    const r = check({ code: "abc", state: expected.state, iss: "https://evil.example" });
    expect(r.verdict).toMatchObject({ outcome: "refused", reason: "iss matches the issuer: failed" });
    expect(names(r)["state matches"]).toBe(true);
  });

  it("refuses a response without iss when the server's metadata promises it, and accepts one when it does not", () => {
    expect(check({ code: "abc", state: expected.state }).verdict).toMatchObject({
      outcome: "refused",
      reason: "iss matches the issuer: failed",
    });
    const lax = check({ code: "abc", state: expected.state }, { ...expected, issRequired: false });
    expect(lax.verdict.outcome).toBe("code");
    expect(lax.verdict.checks[0].explanation).toMatch(/does not send iss/);
  });

  it("believes an error response (access_denied) only once state and iss pass", () => {
    const denied = check({ error: "access_denied", error_description: "The user denied the request.", state: expected.state, iss: ISSUER });
    expect(denied.verdict.outcome).toBe("error");
    expect(denied.response).toMatchObject({ error: "access_denied", errorDescription: "The user denied the request.", code: null });
    const forged = check({ error: "access_denied", state: "forged", iss: ISSUER });
    expect(forged.verdict.outcome).toBe("refused");
  });

  it("refuses a response without a code or an error, and one with a repeated parameter (RFC 6749 §3.1)", () => {
    expect(check({ state: expected.state, iss: ISSUER }).verdict).toMatchObject({ outcome: "refused", reason: "no code" });
    const repeated = check(`code=a&code=b&state=${expected.state}&iss=${encodeURIComponent(ISSUER)}`);
    expect(repeated.verdict.outcome).toBe("refused");
    expect(names(repeated)["each parameter once"]).toBe(false);
  });
});
