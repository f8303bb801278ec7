import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { verifyOwnAccessToken } from "../../authorization-server/access-token";
import type { Context } from "../../oauth/context";
import { handleToken } from "../../authorization-server/token-endpoint";
import { readRuntimeSettings, updateRuntimeSettings } from "../../records/runtime-settings";
import { resetToSeed } from "../../seed";
import {
  createTestDatabase,
  insertCode,
  pkcePair,
  seedClient,
  testConfig,
  testContext,
  tokenRequest,
  type TestDatabase,
} from "../../../test/support/db";
import { expireRunNow } from "./expire";
import { handleEvents, handleExpire, handleLifetimes, handleLiftLockout, handleReset, handleSignIn, handleSignOut } from "./handlers";
import { activeLockouts } from "./lockouts";
import type { InstructorEvent } from "./runs";
import { instructorCookie, instructorCookieName, isInstructor, signInInstructor } from "./session";
import { instructorEventStream } from "./stream";

const PASSWORD = "teach-the-class-2026";
const ISSUER = "http://localhost:3000";
const REDIRECT = `${ISSUER}/walkthrough/callback`;
const workshop = testConfig({ WORKSHOP_MODE: "on", INSTRUCTOR_PASSWORD: PASSWORD });

let t: TestDatabase;
let aliceId: string;
const ctx = (now = new Date(), config = workshop): Context => testContext(t.db, now, config);

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await resetToSeed(t.db, workshop);
  await t.db.instructorSession.deleteMany();
  aliceId = (await t.db.user.findUniqueOrThrow({ where: { username: "alice" } })).id;
});

type FormOptions = { cookie?: string; site?: string; origin?: string };
function post(path: string, body: Record<string, string>, { cookie, site = "same-origin", origin }: FormOptions = {}) {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "203.0.113.7" };
  if (site) headers["sec-fetch-site"] = site;
  if (origin) headers.origin = origin;
  if (cookie) headers.cookie = cookie;
  return new Request(`${ISSUER}${path}`, { method: "POST", headers, body: new URLSearchParams(body) });
}

/** Signs in through the handler; returns the Cookie header a browser would send back. */
async function signedIn(): Promise<string> {
  const response = await handleSignIn(post("/instructor/sign-in", { password: PASSWORD }), ctx());
  const setCookie = response.headers.get("set-cookie")!;
  return setCookie.split(";")[0];
}

describe("the instructor's sign-in", () => {
  it("a right password starts a session: an httpOnly, SameSite=Strict cookie on /instructor whose value is stored only hashed", async () => {
    const response = await handleSignIn(post("/instructor/sign-in", { password: PASSWORD }), ctx());
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${ISSUER}/instructor?`);
    const setCookie = response.headers.get("set-cookie")!;
    expect(setCookie).toMatch(
      new RegExp(`^${instructorCookieName(false)}=[\\w-]{43}; Path=/instructor; HttpOnly; SameSite=Strict; Max-Age=\\d+$`),
    );
    // Over https: the __Host- prefix, which requires Secure and Path=/ (RFC 6265bis §4.1.3.2).
    expect(instructorCookie("v", 60, true)).toBe("__Host-instructor_session=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure");
    const value = setCookie.split(";")[0].split("=")[1];
    expect(await isInstructor(ctx(), value)).toBe(true);
    const [row] = await t.db.instructorSession.findMany();
    expect(row.tokenHash).not.toBe(value);
    expect(
      await isInstructor(
        ctx(),
        value.replace(/.$/, (c) => (c === "A" ? "B" : "A")),
      ),
    ).toBe(false);
    // Expired, or outside workshop mode: not an instructor.
    expect(await isInstructor(ctx(new Date(Date.now() + 13 * 3600_000)), value)).toBe(false);
    expect(await isInstructor(ctx(new Date(), testConfig()), value)).toBe(false);
  });

  it("gets Secure over https", async () => {
    const https = testConfig({ WORKSHOP_MODE: "on", INSTRUCTOR_PASSWORD: PASSWORD, APP_URL: "https://workshop.example" });
    const result = await signInInstructor(ctx(new Date(), https), PASSWORD, "1.2.3.4");
    expect(result.ok && result.cookie).toMatch(/; Secure$/);
  });

  it("a wrong password is refused with no cookie; failures per IP are limited, and a refused attempt does not count", async () => {
    const wrong = await handleSignIn(post("/instructor/sign-in", { password: "teach-the-class-2025" }), ctx());
    expect(wrong.headers.get("location")).toBe(`${ISSUER}/instructor?error=wrong_password`);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const limit = workshop.loginMaxFailures * 4;
    for (let i = 1; i < limit; i++)
      expect(await signInInstructor(ctx(), "nope-nope", "198.51.100.1")).toEqual({ ok: false, reason: "wrong_password" });
    expect(await signInInstructor(ctx(), "nope-nope", "198.51.100.1")).toEqual({ ok: false, reason: "wrong_password" });
    // Over the limit: even the right password is refused from that address, not from another.
    expect(await signInInstructor(ctx(), PASSWORD, "198.51.100.1")).toEqual({ ok: false, reason: "rate_limited" });
    expect(await t.db.loginAttempt.count({ where: { key: "instructor:ip:198.51.100.1" } })).toBe(limit);
    expect((await signInInstructor(ctx(), PASSWORD, "198.51.100.2")).ok).toBe(true);
    // After the window, the address may try again.
    const later = new Date(Date.now() + (workshop.loginWindow + 1) * 1000);
    expect((await signInInstructor(ctx(later), PASSWORD, "198.51.100.1")).ok).toBe(true);
  });

  it("failures from all addresses together are limited too (X-Forwarded-For can be chosen by a client)", async () => {
    const limit = workshop.loginMaxFailures * 10;
    for (let i = 0; i < limit; i++)
      expect(await signInInstructor(ctx(), "nope-nope", `203.0.113.${i}`)).toEqual({ ok: false, reason: "wrong_password" });
    expect(await signInInstructor(ctx(), PASSWORD, "203.0.113.250")).toEqual({ ok: false, reason: "rate_limited" });
    const later = new Date(Date.now() + (workshop.loginWindow + 1) * 1000);
    expect((await signInInstructor(ctx(later), PASSWORD, "203.0.113.250")).ok).toBe(true);
  });

  it("signing out deletes the session everywhere", async () => {
    const cookie = await signedIn();
    const response = await handleSignOut(post("/instructor/sign-out", {}, { cookie }), ctx());
    expect(response.headers.get("set-cookie")).toMatch(/^instructor_session=; Path=\/instructor; HttpOnly; SameSite=Strict; Max-Age=0/);
    expect(await isInstructor(ctx(), cookie.split("=")[1])).toBe(false);
  });
});

describe("the controls' guards", () => {
  it("outside workshop mode every handler is 404", async () => {
    const off = ctx(new Date(), testConfig());
    for (const handler of [handleSignIn, handleSignOut, handleLifetimes, handleExpire, handleReset, handleLiftLockout]) {
      expect((await handler(post("/instructor/x", { password: PASSWORD }), off)).status).toBe(404);
    }
    expect((await handleEvents(new Request(`${ISSUER}/instructor/events`), off)).status).toBe(404);
  });

  it("a form over its limit: 413, read no further", async () => {
    const cookie = await signedIn();
    const response = await handleLifetimes(post("/instructor/lifetimes", { intent: "apply", pad: "x".repeat(10_000) }, { cookie }), ctx());
    expect(response.status).toBe(413);
    expect((await readRuntimeSettings(t.db)).codeTtlSeconds).toBeNull();
  });

  it("without the instructor's cookie: 401, and nothing changes", async () => {
    const response = await handleLifetimes(post("/instructor/lifetimes", { intent: "apply", codeTtlSeconds: "20" }), ctx());
    expect(response.status).toBe(401);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect((await readRuntimeSettings(t.db)).codeTtlSeconds).toBeNull();
    expect((await handleReset(post("/instructor/reset/confirm", { confirm: "reset" }), ctx())).status).toBe(401);
    expect((await handleExpire(post("/instructor/expire", { run: "abcdefghijklmnop" }), ctx())).status).toBe(401);
    await t.db.loginAttempt.createMany({ data: [1, 2, 3, 4, 5].map(() => ({ key: "user:alice", at: new Date() })) });
    expect((await handleLiftLockout(post("/instructor/lockouts", { key: "user:alice" }), ctx())).status).toBe(401);
    expect(await t.db.loginAttempt.count({ where: { key: "user:alice" } })).toBe(5);
    expect((await handleEvents(new Request(`${ISSUER}/instructor/events`), ctx())).status).toBe(401);
  });

  it("from another site (CSRF), even with the cookie: 403, and nothing changes", async () => {
    const cookie = await signedIn();
    const cross = await handleLifetimes(
      post("/instructor/lifetimes", { intent: "apply", codeTtlSeconds: "20" }, { cookie, site: "cross-site" }),
      ctx(),
    );
    expect(cross.status).toBe(403);
    const origin = await handleLifetimes(
      post("/instructor/lifetimes", { intent: "apply", codeTtlSeconds: "20" }, { cookie, site: "", origin: "https://evil.example" }),
      ctx(),
    );
    expect(origin.status).toBe(403);
    expect((await readRuntimeSettings(t.db)).codeTtlSeconds).toBeNull();
    // Control: the same request from our own page works.
    const ours = await handleLifetimes(post("/instructor/lifetimes", { intent: "apply", codeTtlSeconds: "20" }, { cookie }), ctx());
    expect(ours.headers.get("location")).toBe(`${ISSUER}/instructor?done=lifetimes`);
    expect((await readRuntimeSettings(t.db)).codeTtlSeconds).toBe(20);
  });
});

describe("sign-in lockouts", () => {
  it("lists the keys at their limit within the window, with when each lifts by itself; lifting one forgets only its failures", async () => {
    const now = new Date("2026-12-04T10:00:00Z");
    const ago = (s: number) => new Date(now.getTime() - s * 1000);
    await t.db.loginAttempt.createMany({
      data: [
        ...[600, 500, 400, 300, 200].map((s) => ({ key: "user:alice browser:AAAAAAAAAAAAAAAA", at: ago(s) })),
        ...[300, 200, 100, 50].map((s) => ({ key: "user:alice browser:BBBBBBBBBBBBBBBB", at: ago(s) })), // one short of the limit
        ...[2000, 850, 800, 700, 600, 500].map((s) => ({ key: "user:real-user", at: ago(s) })), // the first is out of the 900 s window
        { key: "register:ip:203.0.113.9", at: ago(10) }, // not a sign-in limit
      ],
    });
    const lockouts = await activeLockouts(ctx(now));
    expect(lockouts.map((l) => [l.label, l.failures, l.liftsAt])).toEqual([
      ["alice, in one browser (AAAAAA)", 5, "2026-12-04T10:05:00.000Z"],
      ["real-user, in every browser", 5, "2026-12-04T10:00:50.000Z"],
    ]);

    const cookie = await signedIn();
    const lifted = await handleLiftLockout(
      post("/instructor/lockouts", { key: "user:alice browser:AAAAAAAAAAAAAAAA" }, { cookie }),
      ctx(now),
    );
    expect(lifted.headers.get("location")).toBe(`${ISSUER}/instructor?done=lockout_lifted&key=user%3Aalice+browser%3AAAAAAAAAAAAAAAAA`);
    expect((await activeLockouts(ctx(now))).map((l) => l.label)).toEqual(["real-user, in every browser"]);
    expect(await t.db.loginAttempt.count({ where: { key: "user:alice browser:BBBBBBBBBBBBBBBB" } })).toBe(4);
    // Only a sign-in limit's key can be lifted.
    expect((await handleLiftLockout(post("/instructor/lockouts", { key: "register:ip:203.0.113.9" }, { cookie }), ctx(now))).status).toBe(
      400,
    );
    expect(await t.db.loginAttempt.count({ where: { key: "register:ip:203.0.113.9" } })).toBe(1);
  });
});

describe("lifetimes", () => {
  it("sets the three lifetimes, refuses out-of-bounds values without changing anything, and goes back to the configured ones", async () => {
    const cookie = await signedIn();
    await handleLifetimes(
      post(
        "/instructor/lifetimes",
        { intent: "apply", codeTtlSeconds: "20", accessTokenTtlSeconds: "30", refreshTokenTtlSeconds: "" },
        { cookie },
      ),
      ctx(),
    );
    expect(await readRuntimeSettings(t.db)).toMatchObject({ codeTtlSeconds: 20, accessTokenTtlSeconds: 30, refreshTokenTtlSeconds: null });
    const refused = await handleLifetimes(post("/instructor/lifetimes", { intent: "apply", codeTtlSeconds: "601" }, { cookie }), ctx());
    expect(refused.headers.get("location")).toBe(`${ISSUER}/instructor?error=lifetimes&field=codeTtlSeconds`);
    expect(await readRuntimeSettings(t.db)).toMatchObject({ codeTtlSeconds: 20, accessTokenTtlSeconds: 30 });
    // A refresh token shorter than the access token is refused, nothing saved; an empty field is the configured lifetime.
    const contradicting = await handleLifetimes(
      post("/instructor/lifetimes", { intent: "apply", accessTokenTtlSeconds: "60", refreshTokenTtlSeconds: "20" }, { cookie }),
      ctx(),
    );
    expect(contradicting.headers.get("location")).toBe(`${ISSUER}/instructor?error=lifetimes_conflict&access=60&refresh=20`);
    const againstConfigured = await handleLifetimes(
      post("/instructor/lifetimes", { intent: "apply", refreshTokenTtlSeconds: "120" }, { cookie }),
      ctx(),
    );
    expect(againstConfigured.headers.get("location")).toBe(`${ISSUER}/instructor?error=lifetimes_conflict&access=300&refresh=120`);
    expect(await readRuntimeSettings(t.db)).toMatchObject({ codeTtlSeconds: 20, accessTokenTtlSeconds: 30, refreshTokenTtlSeconds: null });
    await handleLifetimes(post("/instructor/lifetimes", { intent: "configured" }, { cookie }), ctx());
    expect(await readRuntimeSettings(t.db)).toMatchObject({
      codeTtlSeconds: null,
      accessTokenTtlSeconds: null,
      refreshTokenTtlSeconds: null,
    });
  });
});

describe("expire now", () => {
  const redeem = (code: string, verifier: string, c = ctx()) =>
    handleToken(
      tokenRequest({
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: "walkthrough",
        client_secret: "walkthrough-demo-secret",
      }),
      c,
    );
  const refresh = (refreshToken: string) =>
    handleToken(
      tokenRequest({
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        client_id: "walkthrough",
        client_secret: "walkthrough-demo-secret",
      }),
      ctx(),
    );
  const newCode = (correlationId: string) => {
    const pkce = pkcePair();
    return insertCode(t.db, {
      clientId: "walkthrough",
      userId: aliceId,
      redirectUri: REDIRECT,
      scope: "openid offline_access notes:read",
      codeChallenge: pkce.challenge,
      expiresAt: new Date(Date.now() + 60_000),
      correlationId,
    }).then((c) => ({ ...c, verifier: pkce.verifier }));
  };

  it("an unconsumed code: the exchange is then invalid_grant; another run's code is untouched", async () => {
    const mine = await newCode("run-mine-0123456789");
    const other = await newCode("run-other-012345678");
    expect(await expireRunNow(ctx(), "run-mine-0123456789")).toEqual({ codes: 1, accessTokens: 0 });
    const refused = await redeem(mine.code, mine.verifier);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: "invalid_grant", error_description: "The authorization code has expired." });
    expect((await redeem(other.code, other.verifier)).status).toBe(200);
    const [event] = await t.db.flowEvent.findMany({
      where: { correlationId: "run-mine-0123456789", name: { startsWith: "The instructor" } },
    });
    expect(event).toMatchObject({ name: "The instructor expired this run's authorization code now", step: 3 });
  });

  it("narrowed to the participant on the screen: another user's run under the same id (a reused challenge) is untouched", async () => {
    const mine = await newCode("run-shared-01234567");
    const bob = await t.db.user.findUniqueOrThrow({ where: { username: "bob" } });
    const pkce = pkcePair();
    const theirs = await insertCode(t.db, {
      clientId: "walkthrough",
      userId: bob.id,
      redirectUri: REDIRECT,
      scope: "openid",
      codeChallenge: pkce.challenge,
      expiresAt: new Date(Date.now() + 60_000),
      correlationId: "run-shared-01234567",
    });
    expect(await expireRunNow(ctx(), "run-shared-01234567", { clientId: "walkthrough", userId: aliceId })).toEqual({
      codes: 1,
      accessTokens: 0,
    });
    expect((await redeem(mine.code, mine.verifier)).status).toBe(400);
    expect((await redeem(theirs.code, pkce.verifier)).status).toBe(200);
  });

  it("a live access token: refused by the authorization server (UserInfo, introspection) while its exp is ahead; the refresh token still works", async () => {
    const mine = await newCode("run-tokens-01234567");
    const tokens = (await (await redeem(mine.code, mine.verifier)).json()) as { access_token: string; refresh_token: string };
    await verifyOwnAccessToken(ctx(), tokens.access_token);
    expect(await expireRunNow(ctx(), "run-tokens-01234567")).toEqual({ codes: 0, accessTokens: 1 });
    await expect(verifyOwnAccessToken(ctx(), tokens.access_token)).rejects.toMatchObject({
      code: "invalid_token",
      description: "The access token has expired.",
    });
    const refreshed = await refresh(tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    const fresh = (await refreshed.json()) as { access_token: string };
    await verifyOwnAccessToken(ctx(), fresh.access_token);
    // Nothing left to expire but the new token: expiring twice counts only live rows.
    expect(await expireRunNow(ctx(), "run-tokens-01234567")).toEqual({ codes: 0, accessTokens: 1 });
    expect(await expireRunNow(ctx(), "run-tokens-01234567")).toEqual({ codes: 0, accessTokens: 0 });
  });

  it("through the handler: a correlation id is required, and the answer says what was expired", async () => {
    const cookie = await signedIn();
    await newCode("run-handler-0123456");
    expect((await handleExpire(post("/instructor/expire", { run: "not a run" }, { cookie }), ctx())).status).toBe(400);
    const done = await handleExpire(post("/instructor/expire", { run: "run-handler-0123456" }, { cookie }), ctx());
    expect(done.headers.get("location")).toBe(`${ISSUER}/instructor?done=expired&run=run-handler-0123456&codes=1&tokens=0`);
  });
});

describe("the workshop reset", () => {
  it("needs its confirmation; then erases runs, events, codes and settings, keeps participants' clients and the instructor's session", async () => {
    const cookie = await signedIn();
    await seedClient(t.db, { id: "participant-app", secret: null, authMethod: "none", redirectUris: [REDIRECT], scopes: ["openid"] });
    await insertCode(t.db, {
      clientId: "walkthrough",
      userId: aliceId,
      redirectUri: REDIRECT,
      scope: "openid",
      codeChallenge: pkcePair().challenge,
      expiresAt: new Date(Date.now() + 60_000),
    });
    await updateRuntimeSettings(t.db, { codeTtlSeconds: 20 });
    await expireRunNow(ctx(), "none-such-run-0000"); // nothing; then an event to erase:
    await t.db.flowEvent.create({
      data: { correlationId: "run-x-0123456789ab", role: "client", step: 1, name: "x", outcome: "ok", data: "{}" },
    });

    const unconfirmed = await handleReset(post("/instructor/reset/confirm", {}, { cookie }), ctx());
    expect(unconfirmed.status).toBe(400);
    expect(await t.db.flowEvent.count()).toBe(1);

    const done = await handleReset(post("/instructor/reset/confirm", { confirm: "reset" }, { cookie }), ctx());
    expect(done.headers.get("location")).toBe(`${ISSUER}/instructor?done=reset`);
    expect(await t.db.flowEvent.count()).toBe(0);
    expect(await t.db.authorizationCode.count()).toBe(0);
    expect((await readRuntimeSettings(t.db)).codeTtlSeconds).toBeNull();
    expect(await t.db.client.findUnique({ where: { id: "participant-app" } })).not.toBeNull();
    expect(await t.db.client.findUnique({ where: { id: "walkthrough" } })).not.toBeNull();
    expect(await isInstructor(ctx(), cookie.split("=")[1])).toBe(true);
  });
});

describe("the event stream", () => {
  /** Reads server-sent messages until `until` says stop, then aborts the request. */
  async function read(stream: ReadableStream<Uint8Array>, abort: AbortController, until: (batches: InstructorEvent[][]) => boolean) {
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    const batches: InstructorEvent[][] = [];
    const ids: string[] = [];
    let buffer = "";
    while (!until(batches)) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(message)?.[1];
        const id = /^id: (.*)$/m.exec(message)?.[1];
        if (id) ids.push(id);
        if (data) batches.push(JSON.parse(data) as InstructorEvent[]);
      }
    }
    abort.abort();
    return { batches, ids, reader };
  }
  const addEvent = (correlationId: string, step: number, userId: string | null = null) =>
    t.db.flowEvent.create({
      data: {
        correlationId,
        role: "authorization-server",
        step,
        name: `step ${step}`,
        outcome: "ok",
        clientId: "walkthrough",
        userId,
        data: '{"http":{"request":{"body":{"password":"••••"}}}}',
      },
    });

  it("sends the backlog, then new events as they are stored (named, without HTTP messages), and stops when the client goes away", async () => {
    await addEvent("run-a-0123456789ab", 1);
    const abort = new AbortController();
    const stream = instructorEventStream(t.db, { signal: abort.signal, pollMs: 20 });
    // A Prisma query runs only once awaited (then), hence the then().
    setTimeout(() => void addEvent("run-a-0123456789ab", 2, aliceId).then(() => undefined), 100);
    const { batches, ids, reader } = await read(stream, abort, (b) => b.flat().length >= 2);
    const events = batches.flat();
    expect(events.map((e) => [e.correlationId, e.step, e.username, e.clientName])).toEqual([
      ["run-a-0123456789ab", 1, null, "Walkthrough client"],
      ["run-a-0123456789ab", 2, "alice", "Walkthrough client"],
    ]);
    expect(Object.keys(events[0]).sort()).toEqual([
      "at",
      "clientId",
      "clientName",
      "correlationId",
      "id",
      "name",
      "outcome",
      "role",
      "step",
      "userId",
      "username",
    ]);
    expect(ids.at(-1)).toBe(String(events[1].id));
    // Aborted: the stream ends.
    for (;;) if ((await reader.read()).done) break;
  });

  it("tells the lab's and the self-check's runs and a wanted refusal from a client's own events, and nothing else of their detail", async () => {
    const client = (name: string, outcome: string, detail: Record<string, unknown>) =>
      t.db.flowEvent.create({
        data: {
          correlationId: "run-d-0123456789ab",
          role: "client",
          step: 4,
          name,
          outcome,
          clientId: "walkthrough",
          data: JSON.stringify({ detail: { from: "client", to: "client", ...detail } }),
        },
      });
    await t.db.flowEvent.create({
      data: {
        correlationId: "run-d-0123456789ab",
        role: "authorization-server",
        step: 1,
        name: "Authorization request refused",
        outcome: "error",
        data: '{"detail":{"origin":"lab","wanted":true}}',
      },
    });
    await client("Client redeemed the same code again (replay)", "error", { wanted: true, origin: "lab", secretish: "not sent" });
    await t.db.flowEvent.create({
      data: {
        correlationId: "run-d-0123456789ab",
        role: "authorization-server",
        step: 4,
        name: "x",
        outcome: "error",
        data: '{"detail":{"origin":"lab","wanted":true}}',
      },
    });
    const abort = new AbortController();
    const { batches } = await read(instructorEventStream(t.db, { signal: abort.signal, pollMs: 20 }), abort, (b) => b.flat().length >= 3);
    const [marker, replay, server] = batches.flat();
    // The origin comes from the authorization server's step-1 event only; "wanted" from a client's own event only.
    expect([marker.origin, marker.wanted, replay.origin, replay.wanted]).toEqual(["lab", undefined, undefined, true]);
    expect([server.origin, server.wanted]).toEqual([undefined, undefined]);
    expect(JSON.stringify(batches)).not.toContain("secretish");
  });

  it("resumes after Last-Event-ID, without the backlog", async () => {
    const first = await addEvent("run-b-0123456789ab", 1);
    await addEvent("run-b-0123456789ab", 2);
    const abort = new AbortController();
    const { batches } = await read(
      instructorEventStream(t.db, { signal: abort.signal, pollMs: 20, after: first.id }),
      abort,
      (b) => b.flat().length >= 1,
    );
    expect(batches.flat().map((e) => e.step)).toEqual([2]);
  });

  it("an empty room still gets a first (empty) batch, so the page knows it is loaded", async () => {
    const abort = new AbortController();
    const { batches } = await read(instructorEventStream(t.db, { signal: abort.signal, pollMs: 20 }), abort, (b) => b.length >= 1);
    expect(batches).toEqual([[]]);
  });

  it("says so when a reset erased the events it sent, and goes on with new ones", async () => {
    await addEvent("run-c-0123456789ab", 1);
    const abort = new AbortController();
    const reader = instructorEventStream(t.db, { signal: abort.signal, pollMs: 10, recheckMs: 0 }).getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes("run-c-0123456789ab")) text += decoder.decode((await reader.read()).value);
    await resetToSeed(t.db, workshop, { keepRegisteredClients: true });
    while (!text.includes("event: reset")) text += decoder.decode((await reader.read()).value);
    await new Promise((r) => setTimeout(r, 100)); // several more checks: the reset is said once
    await addEvent("run-d-0123456789ab", 1);
    while (!text.includes("run-d-0123456789ab")) text += decoder.decode((await reader.read()).value);
    expect(text.indexOf("event: reset")).toBeLessThan(text.indexOf("run-d-0123456789ab"));
    expect(text.split("event: reset").length - 1).toBe(1);
    abort.abort();
  });

  it("ends when the instructor's session does", async () => {
    const abort = new AbortController();
    let allowed = true;
    const stream = instructorEventStream(t.db, { signal: abort.signal, pollMs: 10, recheckMs: 0, stillAuthorized: async () => allowed });
    const reader = stream.getReader();
    await reader.read();
    allowed = false;
    for (;;) if ((await reader.read()).done) break;
    expect(abort.signal.aborted).toBe(false);
  });

  it("the handler answers text/event-stream, no-store, to the instructor only", async () => {
    const cookie = await signedIn();
    const abort = new AbortController();
    const response = await handleEvents(new Request(`${ISSUER}/instructor/events`, { headers: { cookie }, signal: abort.signal }), ctx());
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    abort.abort();
    await response.body?.cancel();
  });
});
