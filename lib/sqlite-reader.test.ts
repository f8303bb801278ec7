import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { consentScope, sessionByTokenHash } from "./authorization-server/store";
import { accessTokenRow, notesOf } from "./resource-server/store";
import { sqliteReader } from "./sqlite-reader";
import { createTestDatabase, seedClient, seedUser, type TestDatabase } from "./test-support/db";

// The reader exists on SQLite only; on PostgreSQL (`npm run test:postgres`) the same functions use Prisma.
describe.skipIf(!!process.env.TEST_POSTGRES_URL)("the read-only SQLite connection of the hot reads", () => {
  let t: TestDatabase;
  beforeEach(async () => { t = await createTestDatabase(); });
  afterEach(async () => { await t.close(); });

  it("is attached to a SQLite database, and reads what Prisma wrote, dates included, as Prisma reads it", async () => {
    expect(sqliteReader(t.db)).toBeDefined();
    const user = await seedUser(t.db);
    const authTime = new Date("2026-11-25T12:00:00.123Z");
    const session = await t.db.session.create({ data: { tokenHash: "hash-1", userId: user.id, authTime, expiresAt: new Date("2026-11-25T20:00:00.000Z") } });
    expect(await sessionByTokenHash(t.db, "hash-1")).toEqual({ id: session.id, userId: user.id, authTime, expiresAt: session.expiresAt });
    expect(await sessionByTokenHash(t.db, "no-such-hash")).toBeNull();

    await seedClient(t.db, { id: "c1", secret: null, authMethod: "none", redirectUris: ["http://localhost/cb"], scopes: ["openid", "notes:read"] });
    await t.db.consent.create({ data: { userId: user.id, clientId: "c1", scope: "openid notes:read" } });
    expect(await consentScope(t.db, user.id, "c1")).toBe("openid notes:read");
    expect(await consentScope(t.db, user.id, "c2")).toBeNull();

    const notes = await Promise.all(["first", "second"].map((text, i) =>
      t.db.note.create({ data: { userId: user.id, text, createdAt: new Date(Date.UTC(2026, 10, 25, 12, 0, i)) } })));
    expect(await notesOf(t.db, user.id, 10)).toEqual([notes[1], notes[0]].map(({ id, text, createdAt }) => ({ id, text, createdAt })));
  });

  it("sees a revocation as soon as Prisma has committed it (WAL: a new read sees every commit)", async () => {
    const user = await seedUser(t.db);
    const row = { jti: "jti-1", grantId: "g1", correlationId: "run-1", clientId: "c1", userId: user.id, scope: "openid", expiresAt: new Date("2026-11-25T12:05:00.000Z") };
    await t.db.accessToken.create({ data: row });
    expect(await accessTokenRow(t.db, "jti-1")).toEqual({ revokedAt: null, expiresAt: row.expiresAt, correlationId: "run-1" });
    const revokedAt = new Date("2026-11-25T12:01:00.500Z");
    await t.db.accessToken.update({ where: { jti: "jti-1" }, data: { revokedAt } });
    expect(await accessTokenRow(t.db, "jti-1")).toMatchObject({ revokedAt });
    expect(await accessTokenRow(t.db, "jti-2")).toBeNull();
  });

  it("cannot write", () => {
    expect(() => sqliteReader(t.db)!.all(`INSERT INTO "Note" ("id", "userId", "text") VALUES ('n', 'u', 't') RETURNING "id"`)).toThrow(/readonly/);
  });
});
