import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { insertAuthorizationCode } from "./authorization-code";
import { consentScope } from "./consent";
import { sessionByTokenHash } from "./session";
import { accessTokenState } from "./access-token";
import { Prisma } from "../generated/prisma/client";
import { attachSqliteDirect, detachSqliteDirect, groupCommits, readRows, runsDirect, writeRows, writeTransaction } from "./hot-sql";
import type { PrismaClient } from "../generated/prisma/client";
import { notesOf } from "./note";
import { createTestDatabase, seedClient, seedUser, type TestDatabase } from "../../test/support/db";

// The direct connections exist on SQLite only; on PostgreSQL (`npm run test:postgres`) the same
// functions use Prisma, and the store's own tests cover them there.
describe.skipIf(!!process.env.TEST_POSTGRES_URL)("the hot SQL on SQLite's connections, directly", () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase();
  });
  afterEach(async () => {
    await t.close();
  });

  it("is attached to a SQLite database, and reads what Prisma wrote, dates included, as Prisma reads it", async () => {
    expect(runsDirect(t.db)).toBe(true);
    const user = await seedUser(t.db);
    const authTime = new Date("2026-11-25T12:00:00.123Z");
    const session = await t.db.session.create({
      data: { tokenHash: "hash-1", userId: user.id, authTime, expiresAt: new Date("2026-11-25T20:00:00.000Z") },
    });
    expect(await sessionByTokenHash(t.db, "hash-1")).toEqual({ id: session.id, userId: user.id, authTime, expiresAt: session.expiresAt });
    expect(await sessionByTokenHash(t.db, "no-such-hash")).toBeNull();

    await seedClient(t.db, {
      id: "c1",
      secret: null,
      authMethod: "none",
      redirectUris: ["http://localhost/cb"],
      scopes: ["openid", "notes:read"],
    });
    await t.db.consent.create({ data: { userId: user.id, clientId: "c1", scope: "openid notes:read" } });
    expect(await consentScope(t.db, user.id, "c1")).toBe("openid notes:read");
    expect(await consentScope(t.db, user.id, "c2")).toBeNull();

    const notes = await Promise.all(
      ["first", "second"].map((text, i) =>
        t.db.note.create({ data: { userId: user.id, text, createdAt: new Date(Date.UTC(2026, 10, 25, 12, 0, i)) } }),
      ),
    );
    expect(await notesOf(t.db, user.id, 10)).toEqual([notes[1], notes[0]].map(({ id, text, createdAt }) => ({ id, text, createdAt })));
  });

  it("sees a revocation as soon as Prisma has committed it (WAL: a new read sees every commit)", async () => {
    const user = await seedUser(t.db);
    const row = {
      jti: "jti-1",
      grantId: "g1",
      correlationId: "run-1",
      clientId: "c1",
      userId: user.id,
      scope: "openid",
      expiresAt: new Date("2026-11-25T12:05:00.000Z"),
    };
    await t.db.accessToken.create({ data: row });
    expect(await accessTokenState(t.db, "jti-1")).toEqual({ revokedAt: null, expiresAt: row.expiresAt, correlationId: "run-1" });
    const revokedAt = new Date("2026-11-25T12:01:00.500Z");
    await t.db.accessToken.update({ where: { jti: "jti-1" }, data: { revokedAt } });
    expect(await accessTokenState(t.db, "jti-1")).toMatchObject({ revokedAt });
    expect(await accessTokenState(t.db, "jti-2")).toBeNull();
  });

  it("reads on a connection that cannot write", async () => {
    await expect(
      readRows(t.db, Prisma.sql`INSERT INTO "Note" ("id", "userId", "text") VALUES ('n', 'u', 't') RETURNING "id"`),
    ).rejects.toThrow(/readonly/);
  });

  it("writes rows as Prisma writes them: Prisma reads them back, dates included, and compares their dates", async () => {
    const user = await seedUser(t.db);
    await seedClient(t.db, { id: "c1", secret: null, authMethod: "none", redirectUris: ["http://localhost/cb"], scopes: ["openid"] });
    const code = {
      codeHash: "code-hash",
      correlationId: "run-1",
      clientId: "c1",
      userId: user.id,
      redirectUri: "http://localhost/cb",
      scope: "openid",
      codeChallenge: "challenge",
      nonce: null,
      authTime: new Date("2026-11-25T12:00:00.007Z"),
      expiresAt: new Date("2026-11-25T12:01:00.500Z"),
      createdAt: new Date("2026-11-25T12:00:00.250Z"),
    };
    const id = await insertAuthorizationCode(t.db, code);
    expect(await t.db.authorizationCode.findUnique({ where: { id } })).toMatchObject({ ...code, id, consumedAt: null, revokedAt: null });
    // Prisma's date filters compare the stored text: the same format, or a row is missed.
    expect(await t.db.authorizationCode.count({ where: { expiresAt: { gt: new Date("2026-11-25T12:01:00.499Z") } } })).toBe(1);
    expect(await t.db.authorizationCode.count({ where: { expiresAt: { gt: new Date("2026-11-25T12:01:00.500Z") } } })).toBe(0);
    // And the other way round: a row Prisma wrote, found by the direct connection's date comparison.
    await t.db.authorizationCode.update({ where: { id }, data: { consumedAt: new Date("2026-11-25T12:00:30.000Z") } });
    expect(
      await readRows(t.db, Prisma.sql`SELECT "id" FROM "AuthorizationCode" WHERE "consumedAt" < ${new Date("2026-11-25T12:00:30.001Z")}`),
    ).toEqual([{ id }]);
  });

  it("waits for a Prisma transaction open on the connection instead of joining it", async () => {
    const user = await seedUser(t.db);
    let direct: Promise<unknown> | undefined;
    // An interactive Prisma transaction that writes, lets the event loop turn, and rolls back.
    const rolledBack = t.db.$transaction(async (tx) => {
      await tx.note.create({ data: { id: "prisma-note", userId: user.id, text: "rolled back" } });
      direct = writeRows(
        t.db,
        Prisma.sql`INSERT INTO "Note" ("id", "userId", "text", "createdAt") VALUES ('direct-note', ${user.id}, 'kept', ${new Date()})`,
      );
      await new Promise((resolve) => setTimeout(resolve, 30));
      throw new Error("roll back");
    });
    await expect(rolledBack).rejects.toThrow("roll back");
    await direct;
    expect((await t.db.note.findMany()).map((n) => n.id)).toEqual(["direct-note"]);
  });

  it("runs a transaction whole or not at all", async () => {
    const user = await seedUser(t.db);
    const note = (id: string) =>
      Prisma.sql`INSERT INTO "Note" ("id", "userId", "text", "createdAt") VALUES (${id}, ${user.id}, 'x', ${new Date()})`;
    await expect(writeTransaction(t.db, [note("n1"), note("n2"), note("n1")])).rejects.toThrow(/UNIQUE/);
    expect(await t.db.note.count()).toBe(0);
    await writeTransaction(t.db, [note("n1"), note("n2")]);
    expect(await t.db.note.count()).toBe(2);
  });

  it("commits the writes asked for in one turn of the event loop together, each resumed after the commit", async () => {
    const user = await seedUser(t.db);
    const note = (id: string) =>
      Prisma.sql`INSERT INTO "Note" ("id", "userId", "text", "createdAt") VALUES (${id}, ${user.id}, 'x', ${new Date()}) RETURNING "id"`;
    const before = groupCommits(t.db)!;
    const writes = ["n1", "n2", "n3", "n4", "n5"].map((id) => writeRows<{ id: string }>(t.db, note(id)));
    // The first to resume finds every write of its group stored, by the other connection (WAL: committed rows only).
    const first = await writes[0];
    expect(first).toEqual([{ id: "n1" }]);
    expect(await readRows(t.db, Prisma.sql`SELECT "id" FROM "Note" ORDER BY "id"`)).toEqual(
      ["n1", "n2", "n3", "n4", "n5"].map((id) => ({ id })),
    );
    expect((await Promise.all(writes)).map(([row]) => row)).toEqual(["n1", "n2", "n3", "n4", "n5"].map((id) => ({ id })));
    const after = groupCommits(t.db)!;
    expect({ groups: after.groups - before.groups, writes: after.writes - before.writes }).toEqual({ groups: 1, writes: 5 });
    // A write asked for after that commit is the next group's.
    await writeRows(t.db, note("n6"));
    expect(groupCommits(t.db)!.groups - after.groups).toBe(1);
  });

  it("undoes a failed write of a group alone, and tells only its caller", async () => {
    const user = await seedUser(t.db);
    const note = (id: string) =>
      Prisma.sql`INSERT INTO "Note" ("id", "userId", "text", "createdAt") VALUES (${id}, ${user.id}, 'x', ${new Date()})`;
    const before = groupCommits(t.db)!;
    const results = await Promise.allSettled([
      writeTransaction(t.db, [note("a1"), note("a2")]),
      // Its first statement succeeds and is undone with it: the write is whole or not at all.
      writeTransaction(t.db, [note("b1"), note("a1")]),
      writeRows(t.db, note("c1")),
      writeRows(t.db, note("c1")),
      writeRows(t.db, note("d1")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(String((results[3] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect((await t.db.note.findMany({ orderBy: { id: "asc" } })).map((n) => n.id)).toEqual(["a1", "a2", "c1", "d1"]);
    expect(groupCommits(t.db)!.groups - before.groups).toBe(1);
  });

  it("tells each caller what was stored when the disk is full: a write reported done is stored, a failed one is not", async () => {
    const user = await seedUser(t.db);
    const big = "x".repeat(3000);
    const note = (id: string) =>
      Prisma.sql`INSERT INTO "Note" ("id", "userId", "text", "createdAt") VALUES (${id}, ${user.id}, ${big}, ${new Date()})`;
    // The database may grow by a page or two: the group's later writes find it full (SQLITE_FULL).
    const [{ page_count }] = await t.db.$queryRawUnsafe<{ page_count: bigint | number }[]>("PRAGMA page_count");
    await t.db.$queryRawUnsafe(`PRAGMA max_page_count = ${Number(page_count) + 2}`);
    const ids = Array.from({ length: 8 }, (_, i) => `full-${i}`);
    const results = await Promise.allSettled(ids.map((id) => writeRows(t.db, note(id))));
    await t.db.$queryRawUnsafe("PRAGMA max_page_count = 1073741823");
    const stored = new Set((await t.db.note.findMany()).map((n) => n.id));
    expect(results.some((r) => r.status === "rejected")).toBe(true);
    results.forEach((r, i) => expect([ids[i], r.status, stored.has(ids[i])]).toEqual([ids[i], r.status, r.status === "fulfilled"]));
    // And the connection writes again.
    await writeRows(t.db, note("after"));
    expect(await t.db.note.count({ where: { id: "after" } })).toBe(1);
  });

  it("fails the writes, and leaves none hanging, when the writing connection cannot be had", async () => {
    const db = {} as PrismaClient;
    attachSqliteDirect(db, t.url.replace(/^file:/, ""), () => {
      throw new Error("no connection");
    });
    try {
      const note = Prisma.sql`INSERT INTO "Note" ("id", "userId", "text") VALUES ('n', 'u', 't')`;
      await expect(Promise.all([writeRows(db, note), writeRows(db, note)])).rejects.toThrow("no connection");
      // The queue is not stuck: a later write is tried, and fails the same way.
      await expect(writeRows(db, note)).rejects.toThrow("no connection");
    } finally {
      detachSqliteDirect(db);
    }
  });
});
