import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, seedUser, testConfig, testContext, type TestDatabase } from "../../test/support/db";
import { handleLogin } from "./interaction";

/**
 * A failed sign-in stores nothing of what was typed into the username field (issue 12, item 7): it may
 * be a password typed one field too early. Not in the flow event, not in a rate-limit key, not in a cookie.
 */

const ISSUER = "http://localhost:3000";
const TYPED = "Correct-Horse-Battery-Staple-42";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedUser(t.db, "alice", "alice-test-password");
});
afterAll(async () => {
  await t?.close();
});

const signIn = (username: string, password: string, headers: Record<string, string> = {}) =>
  handleLogin(
    new Request(`${ISSUER}/login/submit`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ISSUER, "X-Forwarded-For": "203.0.113.9", ...headers },
      body: new URLSearchParams({ username, password }).toString(),
    }),
    testContext(t.db, new Date(), testConfig({ LOGIN_MAX_FAILURES: "3" })),
  );

/** Everything the database holds that a sign-in writes: events and rate-limit keys. */
const stored = async () => JSON.stringify([await t.db.flowEvent.findMany(), await t.db.loginAttempt.findMany()]);

describe("a failed sign-in", () => {
  it("stores nothing typed into the username field: no event field, no limit key, no cookie", async () => {
    const response = await signIn(TYPED, "whatever-password", { Cookie: "authcode_login_username=alice" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toContain("error=invalid_credentials");
    const text = await stored();
    expect(text).toContain("Sign-in failed");
    expect(text.toLowerCase()).not.toContain(TYPED.toLowerCase());
    const cookies = response.headers.getSetCookie();
    expect(cookies.join("\n").toLowerCase()).not.toContain(TYPED.toLowerCase());
    // A cookie left by an earlier version, which kept the typed name, is dropped.
    expect(cookies).toEqual([expect.stringMatching(/^authcode_login_username=; .*Max-Age=0/)]);
  });

  it("an unknown name meets the same limit as an account, so the refusal tells no one which names exist", async () => {
    const name = "nobody-by-this-name";
    const answers: string[] = [];
    for (let i = 0; i < 4; i++)
      answers.push(
        new URL((await signIn(name, "wrong-password", { "X-Forwarded-For": `198.51.100.${i}` })).headers.get("location")!).searchParams.get(
          "error",
        )!,
      );
    expect(answers).toEqual(["invalid_credentials", "invalid_credentials", "invalid_credentials", "rate_limited"]);
    const alice: string[] = [];
    for (let i = 0; i < 4; i++)
      alice.push(
        new URL((await signIn("alice", "wrong-password", { "X-Forwarded-For": `192.0.2.${i}` })).headers.get("location")!).searchParams.get(
          "error",
        )!,
      );
    expect(alice).toEqual(answers);
    // An account's key still names it (the instructor's lockout list shows it); an unknown name's does not.
    const keys = (await t.db.loginAttempt.findMany({ select: { key: true } })).map((r) => r.key);
    expect(keys).toContain("user:alice");
    expect(keys.join(" ")).not.toContain(name);
  });
});
