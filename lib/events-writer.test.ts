import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EVENT_FIELD_CAP, listEvents, recordEvent, type FlowEventInput } from "./events";
import type { PrismaClient } from "./generated/prisma/client";
import { writeRows } from "./records/hot-sql";
import { createTestDatabase, type TestDatabase } from "../test/support/db";

// Every INSERT of events goes through writeRows: counted here.
vi.mock("./records/hot-sql", async (importOriginal) => {
  const original = await importOriginal<typeof import("./records/hot-sql")>();
  return { ...original, writeRows: vi.fn(original.writeRows) };
});

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.close();
});

const event = (correlationId: string, step: number, extra: Partial<FlowEventInput> = {}): FlowEventInput => ({
  correlationId,
  role: "authorization-server",
  step,
  name: `step ${step}`,
  outcome: "ok",
  ...extra,
});

describe("recordEvent (group commit)", () => {
  it("stores no field beyond EVENT_FIELD_CAP: an anonymous request with an 8 KB URL is cut at write time, with a marker", async () => {
    const url = `http://localhost:3000/oauth/authorize?client_id=unknown&state=${"s".repeat(8192)}`;
    await recordEvent(
      t.db,
      event("writer-capped-001", 1, {
        name: `refused ${"n".repeat(4000)}`,
        clientId: "c".repeat(3000),
        http: { request: { method: "GET", url } },
      }),
    );
    const row = (await t.db.flowEvent.findFirst({ where: { correlationId: "writer-capped-001" } }))!;
    for (const field of [row.name, row.clientId!, row.data]) expect(Buffer.byteLength(field)).toBeLessThanOrEqual(EVENT_FIELD_CAP);
    expect(row.name).toMatch(/…\[truncated: \d+ bytes\]$/);
    const [view] = await listEvents(t.db, "writer-capped-001");
    expect(view.http?.request?.url).toMatch(
      /^http:\/\/localhost:3000\/oauth\/authorize\?client_id=unknown&state=s+…\[truncated: \d+ bytes\]$/,
    );
  });

  it("stores an event before it resolves, with every field", async () => {
    const before = Date.now();
    await recordEvent(
      t.db,
      event("writer-fields-01", 4, {
        clientId: "walkthrough",
        userId: "u1",
        outcome: "error",
        http: { request: { method: "POST", url: "http://x/token", body: { code: "a-long-authorization-code" } } },
        detail: { n: 1 },
      }),
    );
    const [row] = await listEvents(t.db, "writer-fields-01");
    expect(row).toMatchObject({
      role: "authorization-server",
      step: 4,
      name: "step 4",
      outcome: "error",
      clientId: "walkthrough",
      userId: "u1",
      detail: { n: 1 },
    });
    expect(row.http?.request?.body?.code).toBe("a-long…(25 chars)");
    expect(Date.parse(row.at)).toBeGreaterThanOrEqual(before - 1000);
    const [other] = await listEvents(t.db, "writer-fields-01", 0);
    expect(other.id).toBe(row.id);
  });

  it("writes the events of concurrent requests in one batch, each visible once its promise resolves, in recorded order", async () => {
    const spy = vi.mocked(writeRows);
    spy.mockClear();
    const runs = Array.from({ length: 20 }, (_, i) => `writer-order-${String(i).padStart(2, "0")}`);
    await Promise.all(
      runs.map(async (run) => {
        const first = recordEvent(t.db, event(run, 1));
        await recordEvent(t.db, event(run, 3, { clientId: null }));
        // The earlier event of the request is stored once the later one is.
        expect((await listEvents(t.db, run)).map((e) => e.step)).toEqual([1, 3]);
        await first;
      }),
    );
    expect(spy.mock.calls.length).toBeGreaterThan(0);
    expect(spy.mock.calls.length).toBeLessThan(runs.length);
  });

  it("never fails the flow when the database refuses the insert", async () => {
    const broken = await createTestDatabase();
    try {
      await broken.db.$executeRawUnsafe(`DROP TABLE "FlowEvent"`);
      const log = vi.spyOn(console, "error").mockImplementation(() => {});
      await expect(recordEvent(broken.db, event("writer-broken-02", 1))).resolves.toBeUndefined();
      expect(log).toHaveBeenCalledWith(expect.stringContaining("could not record 1 flow event"), expect.stringMatching(/FlowEvent/));
      log.mockRestore();
    } finally {
      await broken.close();
    }
  });

  it("never fails the flow when the insert fails", async () => {
    const broken = { $queryRaw: () => Promise.reject(new Error("database is gone")) } as unknown as PrismaClient;
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(recordEvent(broken, event("writer-broken-01", 1))).resolves.toBeUndefined();
    expect(log).toHaveBeenCalledWith(expect.stringContaining("could not record 1 flow event"), "database is gone");
    log.mockRestore();
  });
});
