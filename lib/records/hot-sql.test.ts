import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { insertAuthorizationCode } from "./authorization-code";
import { consentScope } from "./consent";
import { sessionByTokenHash } from "./session";
import { accessTokenState } from "./access-token";
import { Prisma } from "../generated/prisma/client";
import { readRows, runsDirect, writeRows, writeTransaction } from "./hot-sql";
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
});
