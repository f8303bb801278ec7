import { expect, test } from "../support/fixtures";
import { SECRETS, USERS } from "../support/oauth";

type Report = { passed: boolean; requirements: { id: string; rfc: string; title: string; pass: boolean; detail: string }[]; exchanges: unknown[] };

/**
 * POST /self-check/run: the self-check's runner (lib/lab/self-check.ts), run by the server against
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
  for (const id of ["discovery", "id-token", "userinfo", "api", "pkce-required", "pkce-missing-verifier", "pkce-wrong-verifier", "code-replay",
    "code-replay-revokes", "redirect-uri", "refresh-reuse", "refresh-family", "api-alg-none", "api-id-token", "api-audience"]) {
    expect(ids).toContain(id);
  }
  expect(report.exchanges.length).toBeGreaterThan(20);
  const shown = JSON.stringify(report);
  expect(shown).not.toContain(SECRETS.walkthrough);
  expect(shown).not.toContain(USERS.alice.password);
});
