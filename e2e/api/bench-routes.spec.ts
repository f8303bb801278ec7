import { expect, test } from "../support/fixtures";

/** The benchmark's reference routes are routed only for `npm run bench` (BENCH_ROUTES=on): a default server answers 404. */
test("/api/bench/empty and /api/bench/form answer 404 without BENCH_ROUTES", async ({ issuer }) => {
  expect((await fetch(`${issuer}/api/bench/empty`)).status).toBe(404);
  const form = await fetch(`${issuer}/api/bench/form`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "grant_type=authorization_code",
  });
  expect(form.status).toBe(404);
});
