import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyPassword } from "./crypto";
import { readRuntimeSettings } from "./records/runtime-settings";
import { resetToSeed } from "./seed";
import { handleTestClock, handleTestReset, handleTestUsers } from "./test-mode";
import { createTestDatabase, testConfig, testContext, type TestDatabase } from "../test/support/db";

const post = (path: string, body: unknown, contentType = "application/json") =>
  new Request(`http://localhost:3000/api/test/${path}`, {
    method: "POST",
    headers: { "Content-Type": contentType },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const get = (path: string) => new Request(`http://localhost:3000/api/test/${path}`);

describe("test mode endpoints", () => {
  let t: TestDatabase;
  const now = new Date("2026-11-25T12:00:00Z");
  const on = () => testContext(t.db, now, testConfig({ TEST_MODE: "on" }));
  beforeEach(async () => {
    t = await createTestDatabase();
    await resetToSeed(t.db, testConfig());
  });
  afterEach(async () => {
    await t.close();
  });

  it("do not exist when test mode is off: 404 for every endpoint and method, and nothing changes", async () => {
    const off = testContext(t.db, now, testConfig());
    for (const handler of [handleTestReset, handleTestClock, handleTestUsers]) {
      expect((await handler(get("x"), off)).status).toBe(404);
      expect((await handler(post("x", { advanceSeconds: 60, username: "eve", password: "eve-password" }), off)).status).toBe(404);
    }
    expect((await readRuntimeSettings(t.db)).clockOffsetSeconds).toBe(0);
    expect(await t.db.user.count({ where: { username: "eve" } })).toBe(0);
  });

  it("moves the clock forward, shows it, and puts it back", async () => {
    const advanced = await handleTestClock(post("clock", { advanceSeconds: 61 }), on());
    expect(advanced.status).toBe(200);
    expect(advanced.headers.get("cache-control")).toBe("no-store");
    expect(await advanced.json()).toEqual({ now: "2026-11-25T12:01:01.000Z", offsetSeconds: 61 });
    await handleTestClock(post("clock", { advanceSeconds: 9 }), on());
    expect(await (await handleTestClock(get("clock"), on())).json()).toMatchObject({ offsetSeconds: 70 });
    expect(await (await handleTestClock(post("clock", { offsetSeconds: 0 }), on())).json()).toMatchObject({ offsetSeconds: 0 });
  });

  it("refuses bad clock input with 400 and a description", async () => {
    for (const body of [
      { advanceSeconds: -5 },
      { advanceSeconds: 1.5 },
      { advanceSeconds: "60" },
      {},
      { advanceSeconds: 1, offsetSeconds: 0 },
      { offsetSeconds: 10 ** 12 },
      [],
      "not json",
    ]) {
      const response = await handleTestClock(post("clock", body), on());
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await response.json()).error).toBe("invalid_request");
    }
    // A form post (what a cross-site page could send) is refused.
    expect((await handleTestClock(post("clock", "advanceSeconds=60", "application/x-www-form-urlencoded"), on())).status).toBe(400);
    expect((await readRuntimeSettings(t.db)).clockOffsetSeconds).toBe(0);
  });

  it("creates a user per test worker, with a hashed password, once", async () => {
    const created = await handleTestUsers(post("users", { username: "pw-worker-0", password: "worker-0-password" }), on());
    expect(created.status).toBe(201);
    const { sub, username } = await created.json();
    expect(username).toBe("pw-worker-0");
    const row = await t.db.user.findUniqueOrThrow({ where: { id: sub } });
    expect(row.passwordHash).not.toContain("worker-0-password");
    expect(await verifyPassword("worker-0-password", row.passwordHash)).toBe(true);
    expect((await handleTestUsers(post("users", { username: "pw-worker-0", password: "worker-0-password" }), on())).status).toBe(409);
    expect((await handleTestUsers(post("users", { username: "Bad Name", password: "worker-0-password" }), on())).status).toBe(400);
    expect((await handleTestUsers(post("users", { username: "short-pass", password: "x" }), on())).status).toBe(400);
  });

  it("resets the data to the seed", async () => {
    await handleTestUsers(post("users", { username: "pw-worker-1", password: "worker-1-password" }), on());
    await handleTestClock(post("clock", { advanceSeconds: 3600 }), on());
    const reset = await handleTestReset(post("reset", {}), on());
    expect(reset.status).toBe(200);
    expect(await t.db.user.count()).toBe(3); // alice, bob and the self-check's user
    expect((await readRuntimeSettings(t.db)).clockOffsetSeconds).toBe(0);
    expect((await handleTestReset(get("reset"), on())).status).toBe(405);
  });
});
