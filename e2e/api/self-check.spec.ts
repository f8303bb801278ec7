import { expect, test } from "../support/fixtures";
import { SECRETS, USERS } from "../support/oauth";
import { useServer } from "../support/server";

type Report = {
  passed: boolean;
  requirements: { id: string; rfc: string; title: string; pass: boolean; detail: string }[];
  exchanges: unknown[];
};

/**
 * POST /self-check/run: the self-check's runner (lib/workshop/lab/self-check.ts), run by the server against
 * itself over HTTP: every requirement passes, and nothing it shows carries a secret.
 */
test("the self-check passes every requirement against the real server", async ({ request }) => {
  test.setTimeout(60_000);
  const response = await request.post("/self-check/run");
  const report = (await response.json()) as Report;
  const failed = report.requirements.filter((r) => !r.pass).map((r) => `${r.rfc} ${r.title}: ${r.detail}`);
  expect(failed).toEqual([]);
  expect(response.status()).toBe(200);
  expect(report.passed).toBe(true);
  expect(report.requirements.length).toBeGreaterThanOrEqual(20);
  const ids = report.requirements.map((r) => r.id);
  for (const id of [
    "discovery",
    "id-token",
    "userinfo",
    "api",
    "pkce-required",
    "pkce-missing-verifier",
    "pkce-wrong-verifier",
    "code-replay",
    "code-replay-revokes",
    "redirect-uri",
    "refresh-reuse",
    "refresh-family",
    "api-alg-none",
    "api-id-token",
    "api-audience",
    "par-metadata",
    "par-flow",
    "par-one-time",
    "par-mixed",
    "dpop-metadata",
    "dpop-token",
    "dpop-api",
    "dpop-as-bearer",
    "dpop-replay",
  ]) {
    expect(ids).toContain(id);
  }
  expect(report.exchanges.length).toBeGreaterThan(20);
  const shown = JSON.stringify(report);
  expect(shown).not.toContain(SECRETS.walkthrough);
  expect(shown).not.toContain(USERS.alice.password);
});

test.describe("the self-check's own user and its limit", () => {
  const server = useServer({ LOGIN_MAX_FAILURES: "1" });
  const signIn = (password: string) =>
    fetch(`${server().baseURL}/login/submit`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: USERS.alice.username, password }),
    }).then((r) => new URL(r.headers.get("location")!).searchParams.get("error"));
  const run = () => fetch(`${server().baseURL}/self-check/run`, { method: "POST" });

  test("it signs in as its own user, so alice's failures stay counted; and it is limited like sign-in", async () => {
    test.setTimeout(180_000);
    expect(await signIn("wrong password")).toBe("invalid_credentials");
    const first = await run();
    expect(first.status).toBe(200);
    const shown = JSON.stringify(await first.json());
    expect(shown).toMatch(/username[^,]*self-check/);
    expect(shown).not.toMatch(/username[^,]*alice/);
    // Had the self-check signed in as alice, her failure would have been cleared and this would pass.
    expect(await signIn(USERS.alice.password)).toBe("rate_limited");

    // LOGIN_MAX_FAILURES × 4 runs per address within the window, then 429.
    for (let i = 2; i <= 4; i++) expect((await run()).status, `run ${i}`).toBe(200);
    const limited = await run();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeTruthy();
    expect(await limited.json()).toMatchObject({ error: "rate_limited" });
  });
});
