import { authorizationCode, authorizationCodeGrant, claimsOf, KIT_CLIENT, type Account } from "./auth";
import { expect, signedInTest, test } from "./fixtures";
import { useServer } from "../support/server";

/**
 * The kit itself: its fixtures work as documented (e2e/README.md), and test mode (reset, test clock)
 * exists only when configured. The clock and the reset change a whole server, so those tests run on
 * servers of their own, never on the suite's shared one.
 */

signedInTest("signedInTest: every test starts signed in to /app, without the login", async ({ page, account }) => {
  await page.goto("/app");
  await expect(page.getByRole("heading", { name: /^Signed in as / })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in with next-auth" })).toHaveCount(0);
  expect(account.username).toBeTruthy();
});

test("account: each worker has a user of its own, so its notes are its own", async ({ api, account, testMode }) => {
  test.skip(!testMode, "needs test mode (TEST_MODE=on) for users per worker");
  expect(account.username).toMatch(/^kit-w\d+-/);
  const text = `note of ${account.username}`;
  expect((await api.post("/api/notes", { data: { text } })).status()).toBe(201);
  const { notes } = await (await api.get("/api/notes")).json();
  expect(notes.map((n: { text: string }) => n.text)).toEqual([text]);
});

test("loginAndConsent: completes the pages for a given user, and fails clearly on a wrong password", async ({
  page,
  account,
  loginAndConsent: complete,
}) => {
  await page.goto("/app");
  await page.getByRole("button", { name: "Sign in with next-auth" }).click();
  // The worker's own user takes the failed attempt, so no shared user comes nearer the login rate limit.
  await expect(complete(page, { ...account, password: "not-the-password" })).rejects.toThrow(
    /Sign-in failed: .*(wrong|incorrect|invalid)/i,
  );
  await complete(page);
  await expect(page.getByRole("heading", { name: /^Signed in as / })).toBeVisible();
});

test.describe("with test mode off (the default)", () => {
  const server = useServer({ TEST_MODE: "off" });

  test("the test endpoints do not exist: 404 for every method, and nothing changes", async ({ request }) => {
    const base = server().baseURL;
    for (const path of ["/api/test/reset", "/api/test/clock", "/api/test/users"]) {
      expect(
        (await request.post(`${base}${path}`, { data: { advanceSeconds: 3600, username: "eve-x", password: "eve-password" } })).status(),
        `POST ${path}`,
      ).toBe(404);
      for (const method of ["GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
        expect((await request.fetch(`${base}${path}`, { method })).status(), `${method} ${path}`).toBe(404);
      }
    }
  });
});

test.describe("with test mode on", () => {
  test.describe.configure({ mode: "serial" });
  const server = useServer({ TEST_MODE: "on" });
  const user: Account = { username: "clock-tester", password: "clock-tester-password" };

  test("the test clock: a code and an access token expire without waiting; the refresh token still works", async ({ page, request }) => {
    const issuer = server().baseURL;
    expect((await request.post(`${issuer}/api/test/users`, { data: user })).status()).toBe(201);
    const tokens = await authorizationCodeGrant(page, request, { account: user, issuer });
    const api = (token: string) => request.get(`${issuer}/api/notes`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await api(tokens.access_token)).status()).toBe(200);

    // Within the API's 30 s allowance for clock skew after its exp (300 s), the token still works ...
    const clock = await request.post(`${issuer}/api/test/clock`, { data: { advanceSeconds: 320 } });
    expect(await clock.json()).toMatchObject({ offsetSeconds: 320 });
    expect((await api(tokens.access_token)).status()).toBe(200);
    // ... and past it, in one more request instead of minutes of waiting, it has expired at the API.
    await request.post(`${issuer}/api/test/clock`, { data: { advanceSeconds: 20 } });
    const expired = await api(tokens.access_token);
    expect(expired.status()).toBe(401);
    expect(expired.headers()["www-authenticate"]).toMatch(/error="invalid_token"/);

    // The refresh token (a day) still works, and its new access token is valid on the moved clock.
    const refreshed = await request.post(`${issuer}/oauth/token`, {
      form: { grant_type: "refresh_token", refresh_token: tokens.refresh_token!, client_id: KIT_CLIENT.id },
    });
    expect(refreshed.status()).toBe(200);
    const next = await refreshed.json();
    expect(Number(claimsOf(next.access_token).iat) * 1000).toBeGreaterThan(Date.now() + 290_000);
    expect((await api(next.access_token)).status()).toBe(200);
  });

  test("the test clock: a code redeemed after its 60 s is refused", async ({ page, request }) => {
    const issuer = server().baseURL;
    // A code, caught before it is redeemed.
    const { code, verifier } = await authorizationCode(page, { account: user, scopes: ["openid"], issuer });

    await request.post(`${issuer}/api/test/clock`, { data: { advanceSeconds: 61 } });
    const late = await request.post(`${issuer}/oauth/token`, {
      form: {
        grant_type: "authorization_code",
        code,
        redirect_uri: KIT_CLIENT.redirectUri,
        client_id: KIT_CLIENT.id,
        code_verifier: verifier,
      },
    });
    expect(late.status()).toBe(400);
    expect(await late.json()).toMatchObject({ error: "invalid_grant" });
  });

  test("the reset: back to the seed, the clock back to real time, earlier tokens refused", async ({ page, request }) => {
    const issuer = server().baseURL;
    const tokens = await authorizationCodeGrant(page, request, { account: { username: "alice", password: "alice-demo-password" }, issuer });
    expect((await request.post(`${issuer}/api/test/reset`, { data: {} })).status()).toBe(200);
    expect(await (await request.get(`${issuer}/api/test/clock`)).json()).toMatchObject({ offsetSeconds: 0 });
    // The user created by the tests above is gone; the demo users are back.
    expect((await request.post(`${issuer}/api/test/users`, { data: user })).status()).toBe(201);
    expect((await request.post(`${issuer}/api/test/users`, { data: { username: "alice", password: "another-password" } })).status()).toBe(
      409,
    );
    const before = await request.get(`${issuer}/api/notes`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    expect(before.status()).toBe(401);
    const refresh = await request.post(`${issuer}/oauth/token`, {
      form: { grant_type: "refresh_token", refresh_token: tokens.refresh_token!, client_id: KIT_CLIENT.id },
    });
    expect(refresh.status()).toBe(400);
  });
});
