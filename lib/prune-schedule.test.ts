import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { prunePolicy, startPruning } from "./prune-schedule";
import { createTestDatabase, testConfig, type TestDatabase } from "../test/support/db";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.close();
});

describe("the purge as the server runs it", () => {
  it("takes its rules from the configuration: the event retention, and the longest rate-limit window", () => {
    const now = new Date();
    const policy = prunePolicy(
      testConfig({
        EVENT_RETENTION_HOURS: "8",
        LOGIN_WINDOW_SECONDS: "300",
        REGISTRATION_WINDOW_SECONDS: "1200",
        ACCESS_TOKEN_TTL_SECONDS: "600",
        REFRESH_TOKEN_TTL_SECONDS: "7200",
      }),
      now,
    );
    expect(policy).toMatchObject({
      now,
      eventRetentionMs: 8 * 3_600_000,
      attemptWindowMs: 1_200_000,
      walkthroughRunLifetimeMs: 86_400_000,
      keepNewestEvents: 2000,
      // The refresh token's lifetime, the access token's, and the tokens' hour of grace.
      grantLifetimeMs: (7200 + 600 + 3600) * 1000,
      expiredGraceMs: 5 * 60_000,
      tokenGraceMs: 3_600_000,
    });
  });

  it("keeps dead rows PURGE_GRACE_SECONDS past their expiry when it is set (the soak's short horizon)", () => {
    const policy = prunePolicy(
      testConfig({ PURGE_GRACE_SECONDS: "60", ACCESS_TOKEN_TTL_SECONDS: "60", REFRESH_TOKEN_TTL_SECONDS: "120" }),
      new Date(),
    );
    expect(policy).toMatchObject({ expiredGraceMs: 60_000, tokenGraceMs: 60_000, grantLifetimeMs: (120 + 60 + 60) * 1000 });
  });

  it("purges a minute after the start, then every PRUNE_INTERVAL_SECONDS, one purge at a time", async () => {
    const scheduled: { run: () => void; ms: number }[] = [];
    const timer = (run: () => void, ms: number) => {
      scheduled.push({ run, ms });
      return { unref: () => undefined };
    };
    const old = new Date(Date.now() - 3_600_000);
    const attempt = () => t.db.loginAttempt.create({ data: { key: "user:alice", at: old } });
    await attempt();
    startPruning(testConfig({ DATABASE_URL: t.url, PRUNE_INTERVAL_SECONDS: "600" }), async () => t.db, timer);
    expect(scheduled.map((s) => s.ms)).toEqual([60_000]);
    expect(await t.db.loginAttempt.count()).toBe(1);

    scheduled[0].run();
    // The next purge is scheduled only once this one has finished.
    await vi.waitFor(() => expect(scheduled.map((s) => s.ms)).toEqual([60_000, 600_000]));
    expect(await t.db.loginAttempt.count()).toBe(0);

    await attempt();
    scheduled[1].run();
    await vi.waitFor(() => expect(scheduled).toHaveLength(3));
    expect(await t.db.loginAttempt.count()).toBe(0);
  });

  it("the timer never keeps the process alive", () => {
    const timers: NodeJS.Timeout[] = [];
    startPruning(
      testConfig({ PRUNE_INTERVAL_SECONDS: "600" }),
      async () => t.db,
      (run, ms) => {
        const handle = setTimeout(run, ms);
        timers.push(handle);
        return handle;
      },
    );
    expect(timers).toHaveLength(1);
    expect(timers[0].hasRef()).toBe(false);
    clearTimeout(timers[0]);
  });

  it("PRUNE_INTERVAL_SECONDS=0 starts no timer (npm run db:prune then does it)", () => {
    const timer = vi.fn(() => ({ unref: () => undefined }));
    startPruning(testConfig({ PRUNE_INTERVAL_SECONDS: "0" }), async () => t.db, timer);
    expect(timer).not.toHaveBeenCalled();
  });
});
