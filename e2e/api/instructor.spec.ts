import { expect, test } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { authorize, dpopKeyPair, exchangeWithDpop } from "../support/fixtures";
import { discover } from "../support/oauth";
import { freePort, useServer } from "../support/server";

/**
 * The instructor view's guards over HTTP: absent outside workshop mode; in workshop mode a server that
 * will not start without its password, and nothing under /instructor without the instructor's cookie,
 * a wrong password refused, and the controls refused from another site even with the cookie.
 */

const PASSWORD = "workshop-instructor-pw";
const form = (values: Record<string, string>) => new URLSearchParams(values).toString();
const FORM = { "content-type": "application/x-www-form-urlencoded" };

test("outside workshop mode (the main test server): /instructor and everything under it is 404, and the nav has no Instructor", async ({
  baseURL,
}) => {
  for (const p of ["/instructor", "/instructor/events", "/instructor/reset"]) {
    const response = await fetch(`${baseURL}${p}`, { redirect: "manual" });
    expect(response.status, p).toBe(404);
  }
  for (const p of [
    "/instructor/sign-in",
    "/instructor/lifetimes",
    "/instructor/expire",
    "/instructor/lockouts",
    "/instructor/reset/confirm",
    "/instructor/sign-out",
  ]) {
    const response = await fetch(`${baseURL}${p}`, {
      method: "POST",
      headers: FORM,
      body: form({ password: PASSWORD, confirm: "reset" }),
      redirect: "manual",
    });
    expect(response.status, p).toBe(404);
  }
  // Every method, on every route handler: nothing tells that the routes exist.
  for (const p of [
    "/instructor/events",
    "/instructor/sign-in",
    "/instructor/lifetimes",
    "/instructor/expire",
    "/instructor/lockouts",
    "/instructor/reset/confirm",
    "/instructor/sign-out",
  ]) {
    for (const method of ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      expect((await fetch(`${baseURL}${p}`, { method, redirect: "manual" })).status, `${method} ${p}`).toBe(404);
    }
  }
  expect(await (await fetch(`${baseURL}/`)).text()).not.toContain('href="/instructor"');
});

test("WORKSHOP_MODE=on without INSTRUCTOR_PASSWORD: the server does not start, and says which variable is missing", async () => {
  const port = await freePort();
  const run = spawnSync("npx", ["next", "start", "-p", String(port)], {
    cwd: path.resolve(__dirname, "../.."),
    env: { ...process.env, WORKSHOP_MODE: "on", INSTRUCTOR_PASSWORD: "", APP_URL: `http://localhost:${port}` },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain("INSTRUCTOR_PASSWORD: must be set when WORKSHOP_MODE is on");
});

test.describe("in workshop mode", () => {
  test.describe.configure({ mode: "serial" });
  const server = useServer({ WORKSHOP_MODE: "on", INSTRUCTOR_PASSWORD: PASSWORD });
  const url = (p: string) => `${server().baseURL}${p}`;

  async function signIn(password: string) {
    return fetch(url("/instructor/sign-in"), {
      method: "POST",
      headers: { ...FORM, "sec-fetch-site": "same-origin" },
      body: form({ password }),
      redirect: "manual",
    });
  }

  test("without the cookie: the sign-in form, a 401 event stream, 401 controls, and the reset page sends to the sign-in", async () => {
    const page = await fetch(url("/instructor"));
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toContain("no-store");
    const html = await page.text();
    expect(html).toContain("Instructor password");
    expect(html).not.toContain("Participants&#x27; runs");
    expect(await (await fetch(url("/"))).text()).toContain('href="/instructor"');

    const events = await fetch(url("/instructor/events"));
    expect(events.status).toBe(401);
    expect(events.headers.get("content-type")).not.toContain("text/event-stream");
    const reset = await fetch(url("/instructor/reset"), { redirect: "manual" });
    expect([303, 307]).toContain(reset.status);
    expect(new URL(reset.headers.get("location")!, url("/")).pathname).toBe("/instructor");
    for (const p of ["/instructor/lifetimes", "/instructor/expire", "/instructor/reset/confirm"]) {
      const response = await fetch(url(p), {
        method: "POST",
        headers: { ...FORM, "sec-fetch-site": "same-origin" },
        body: form({ intent: "apply", codeTtlSeconds: "20", run: "abcdefghijklmnop", confirm: "reset" }),
        redirect: "manual",
      });
      expect(response.status, p).toBe(401);
    }
  });

  test("a wrong password is refused, with no cookie; the right one gives an httpOnly, SameSite=Strict cookie that opens the stream", async () => {
    const wrong = await signIn("not-the-password");
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get("location")).toMatch(/\/instructor\?error=wrong_password$/);
    expect(wrong.headers.get("set-cookie")).toBeNull();

    const right = await signIn(PASSWORD);
    expect(right.status).toBe(303);
    const setCookie = right.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^instructor_session=[\w-]{43}; Path=\/instructor; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const cookie = setCookie.split(";")[0];

    const abort = new AbortController();
    const events = await fetch(url("/instructor/events"), { headers: { cookie }, signal: abort.signal });
    expect(events.status).toBe(200);
    expect(events.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(events.headers.get("cache-control")).toBe("no-store");
    const reader = events.body!.getReader();
    let text = "";
    while (!text.includes("event: events")) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain("retry: 2000");
    abort.abort();

    const page = await (await fetch(url("/instructor"), { headers: { cookie } })).text();
    expect(page).toContain("Participants&#x27; runs");
  });

  test("the instructor's session reads any run by its id, the user included; without it the id alone is refused", async () => {
    const flow = await authorize(await discover(server().baseURL), "walkthrough", { decision: "deny", extra: { prompt: "consent" } });
    const challenge = flow.pending.url.searchParams.get("code_challenge")!;
    const correlation = createHash("sha256").update(challenge).digest("base64url").slice(0, 16);
    const read = (headers: Record<string, string> = {}) => fetch(url(`/api/flow-events?correlation=${correlation}`), { headers });
    expect((await read()).status).toBe(401);
    expect((await read({ cookie: `instructor_session=${"x".repeat(43)}` })).status).toBe(401);
    const cookie = (await signIn(PASSWORD)).headers.get("set-cookie")!.split(";")[0];
    const answer = await read({ cookie });
    expect(answer.status).toBe(200);
    const { events } = (await answer.json()) as { events: { name: string; userId: string | null }[] };
    expect(events.find((e) => e.name === "User denied consent")?.userId).toBeTruthy();
    expect((await fetch(url(`/api/flow-state?correlation=${correlation}`), { headers: { cookie } })).status).toBe(200);
  });

  test("a pushed request's run shows its PAR steps to the instructor like the others", async () => {
    const base = server().baseURL;
    const challenge = createHash("sha256").update(`par-instructor-${Date.now()}-verifier-0123456789abcdefghij`).digest("base64url");
    const pushed = await fetch(url("/oauth/par"), {
      method: "POST",
      headers: FORM,
      body: form({
        client_id: "walkthrough",
        client_secret: "walkthrough-demo-secret",
        response_type: "code",
        redirect_uri: `${base}/walkthrough/callback`,
        scope: "openid",
        state: "s",
        code_challenge: challenge,
        code_challenge_method: "S256",
      }),
    });
    expect(pushed.status).toBe(201);
    const { request_uri } = (await pushed.json()) as { request_uri: string };
    const link = new URL(url("/oauth/authorize"));
    link.search = new URLSearchParams({ client_id: "walkthrough", request_uri }).toString();
    expect((await fetch(link, { redirect: "manual" })).status).toBe(302);
    const correlation = createHash("sha256").update(challenge).digest("base64url").slice(0, 16);
    const cookie = (await signIn(PASSWORD)).headers.get("set-cookie")!.split(";")[0];
    const answer = await fetch(url(`/api/flow-events?correlation=${correlation}`), { headers: { cookie } });
    const { events } = (await answer.json()) as {
      events: { name: string; step: number; role: string; detail?: Record<string, unknown> }[];
    };
    expect(events.map((e) => [e.step, e.role, e.name])).toEqual([
      [1, "authorization-server", "Authorization request pushed"],
      [1, "authorization-server", "Authorization request accepted"],
    ]);
    expect(events[1].detail).toMatchObject({ pushed: true });
  });

  test("a DPoP run shows its DPoP steps to the instructor like the others: the nonce asked for, the bound tokens", async () => {
    const as = await discover(server().baseURL);
    const flow = await authorize(as, "public-demo", { scope: "openid notes:read" });
    const { tokens, nonceAsked } = await exchangeWithDpop(as, flow, await dpopKeyPair());
    expect(tokens.token_type.toLowerCase()).toBe("dpop");
    expect(nonceAsked).toBe(1);
    const challenge = flow.pending.url.searchParams.get("code_challenge")!;
    const correlation = createHash("sha256").update(challenge).digest("base64url").slice(0, 16);
    const cookie = (await signIn(PASSWORD)).headers.get("set-cookie")!.split(";")[0];
    const answer = await fetch(url(`/api/flow-events?correlation=${correlation}`), { headers: { cookie } });
    const { events } = (await answer.json()) as { events: { name: string; step: number; detail?: Record<string, unknown> }[] };
    expect(events.find((e) => e.name === "Token request answered with the server's DPoP nonce: retry with it")?.step).toBe(4);
    const issued = events.find((e) => e.name === "Tokens issued for the code");
    expect(issued).toMatchObject({ step: 5, detail: { tokenType: "DPoP", jkt: expect.stringMatching(/^[\w-]{43}$/) } });
  });

  test("the controls are refused from another site even with the cookie (CSRF), and work from our own page", async () => {
    const cookie = (await signIn(PASSWORD)).headers.get("set-cookie")!.split(";")[0];
    const body = form({ intent: "apply", codeTtlSeconds: "20", accessTokenTtlSeconds: "", refreshTokenTtlSeconds: "" });
    const attacks: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: "https://evil.example" },
    ];
    for (const headers of attacks) {
      for (const p of ["/instructor/lifetimes", "/instructor/expire", "/instructor/reset/confirm", "/instructor/sign-out"]) {
        const response = await fetch(url(p), { method: "POST", headers: { ...FORM, ...headers, cookie }, body, redirect: "manual" });
        expect(response.status, `${p} ${JSON.stringify(headers)}`).toBe(403);
      }
    }
    const before = await (await fetch(url("/instructor"), { headers: { cookie } })).text();
    expect(before).not.toContain("20 s (set here)");

    const ours = await fetch(url("/instructor/lifetimes"), {
      method: "POST",
      headers: { ...FORM, "sec-fetch-site": "same-origin", cookie },
      body,
      redirect: "manual",
    });
    expect(ours.status).toBe(303);
    expect(await (await fetch(url("/instructor"), { headers: { cookie } })).text()).toContain("20 s (set here)");
    await fetch(url("/instructor/lifetimes"), {
      method: "POST",
      headers: { ...FORM, "sec-fetch-site": "same-origin", cookie },
      body: form({ intent: "configured" }),
      redirect: "manual",
    });
  });
});
