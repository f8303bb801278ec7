import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pruneDeadRows } from "../../lib/records/prune";
import { createTestDatabase, type TestDatabase } from "../../test/support/db";
import { databaseBytes, fillUrl, type FillSize } from "./fill";

const SMALL: FillSize = { events: 3_000, grants: 600, clients: 50, users: 20, runs: 30 };
const NOW = new Date("2026-12-04T12:00:00.000Z");

describe("the bench's fill (npm run bench -- --fill)", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await t.db.user.create({ data: { username: "alice", passwordHash: "x", name: "Alice", email: "alice@example.com" } });
    await fillUrl(t.url, SMALL, NOW);
  });
  afterAll(() => t.close());

  it("writes every table's rows, readable through Prisma with their dates", async () => {
    expect(await t.db.flowEvent.count()).toBe(SMALL.events);
    expect(await t.db.authorizationCode.count()).toBe(SMALL.grants);
    expect(await t.db.accessToken.count()).toBe(SMALL.grants);
    expect(await t.db.refreshToken.count()).toBe(SMALL.grants);
    expect(await t.db.client.count()).toBe(SMALL.clients);
    expect(await t.db.user.count()).toBe(SMALL.users + 1);
    const token = await t.db.refreshToken.findFirstOrThrow({ where: { id: "fill-refresh-7" } });
    expect(token.tokenHash).toHaveLength(43);
    expect(token.expiresAt.getTime() - token.createdAt.getTime()).toBe(86_400_000);
    const events = await t.db.flowEvent.findMany({ orderBy: { id: "asc" } });
    expect(events[0].at.getTime()).toBeGreaterThanOrEqual(NOW.getTime() - 23 * 3_600_000);
    expect(events.at(-1)!.at.getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(events.every((e, i) => i === 0 || e.at >= events[i - 1].at)).toBe(true);
    expect(new Set(events.map((e) => e.correlationId)).size).toBe(SMALL.runs);
  });

  it("spreads expiries in the past and the future, with unique hashes", async () => {
    for (const table of ["accessToken", "refreshToken", "interaction"] as const) {
      const model = t.db[table] as unknown as { count: (q: object) => Promise<number> };
      expect(await model.count({ where: { expiresAt: { lt: NOW } } }), table).toBeGreaterThan(0);
      expect(await model.count({ where: { expiresAt: { gt: NOW } } }), table).toBeGreaterThan(0);
    }
    const codes = await t.db.authorizationCode.findMany({ select: { codeHash: true } });
    expect(new Set(codes.map((c) => c.codeHash)).size).toBe(SMALL.grants);
  });

  it("holds nothing the purge would delete yet (a steady state), and leaves the demo user alone", async () => {
    const policy = {
      now: NOW,
      eventRetentionMs: 24 * 3_600_000,
      attemptWindowMs: 15 * 60_000,
      walkthroughRunLifetimeMs: 3_600_000,
      keepNewestEvents: 1000,
      grantLifetimeMs: 25 * 3_600_000,
    };
    const counts = await pruneDeadRows(t.db, t.url.startsWith("file:") ? "sqlite" : "postgresql", policy);
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
    expect(await t.db.user.findUnique({ where: { username: "alice" } })).not.toBeNull();
    expect(await t.db.loginAttempt.count({ where: { key: { startsWith: "ip:" } } })).toBe(0);
  });

  it("refuses to fill twice, and measures the database", async () => {
    await expect(fillUrl(t.url, SMALL, NOW)).rejects.toThrow(/fill already/);
    expect(await databaseBytes(t.url)).toBeGreaterThan(100_000);
  });
});
