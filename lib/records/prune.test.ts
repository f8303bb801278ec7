import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { consumeAuthorizationCode } from "./authorization-code";
import { rotateRefreshToken } from "./refresh-token";
import { accessTokenState } from "./access-token";
import { hashToken, randomToken } from "../crypto";
import { databaseProvider } from "../database-url";
import { openDatabase } from "../db";
import { detachSqliteDirect } from "./hot-sql";
import { BATCH_SIZE, EXPIRED_GRACE_MS, pruneDeadRows, TOKEN_GRACE_MS, type PrunePolicy } from "./prune";
import { createTestDatabase, insertCode, seedUser, type TestDatabase } from "../../test/support/db";

/**
 * The purge deletes dead rows and only those: each kind gets rows on both sides of its rule, and the
 * clock is the test's (`now`), so "expired" and "old" are exact.
 */

let t: TestDatabase;
let userId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  userId = (await seedUser(t.db)).id;
});
afterAll(async () => {
  await t.close();
});

const NOW = new Date("2026-12-04T12:00:00.000Z");
const HOUR = 3_600_000;
const MINUTE = 60_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);
const policy = (change: Partial<PrunePolicy> = {}): PrunePolicy => ({
  now: NOW,
  eventRetentionMs: 24 * HOUR,
  attemptWindowMs: 15 * MINUTE,
  walkthroughRunLifetimeMs: 24 * HOUR,
  keepNewestEvents: 3,
  grantLifetimeMs: 0,
  ...change,
});
const prune = (change: Partial<PrunePolicy> = {}) => pruneDeadRows(t.db, databaseProvider(t.url), policy(change));

async function emptyTables() {
  const db = t.db;
  await db.$transaction([
    db.flowEvent.deleteMany(),
    db.walkthroughRun.deleteMany(),
    db.accessToken.deleteMany(),
    db.refreshToken.deleteMany(),
    db.authorizationCode.deleteMany(),
    db.interaction.deleteMany(),
    db.session.deleteMany(),
    db.instructorSession.deleteMany(),
    db.loginAttempt.deleteMany(),
    db.pushedRequest.deleteMany(),
    db.dpopProof.deleteMany(),
  ]);
}
beforeEach(emptyTables);

const code = (expiresAt: Date, correlationId = randomToken(8)) =>
  insertCode(t.db, {
    clientId: "walkthrough",
    userId,
    redirectUri: "http://localhost:3000/cb",
    scope: "openid",
    codeChallenge: "c",
    expiresAt,
    correlationId,
  });

const accessToken = (grantId: string, expiresAt: Date, extra: { revokedAt?: Date; correlationId?: string } = {}) =>
  t.db.accessToken.create({
    data: {
      jti: randomToken(12),
      grantId,
      correlationId: extra.correlationId ?? "run",
      clientId: "walkthrough",
      userId,
      scope: "openid",
      expiresAt,
      revokedAt: extra.revokedAt,
    },
  });

const refreshToken = (grantId: string, expiresAt: Date, extra: { rotatedAt?: Date; correlationId?: string } = {}) => {
  const token = randomToken();
  return t.db.refreshToken
    .create({
      data: {
        tokenHash: hashToken(token),
        grantId,
        correlationId: extra.correlationId ?? "run",
        clientId: "walkthrough",
        userId,
        scope: "openid offline_access",
        authTime: at(-3 * HOUR),
        expiresAt,
        rotatedAt: extra.rotatedAt,
      },
    })
    .then((row) => ({ token, row }));
};

const event = (atTime: Date, correlationId = "run") =>
  t.db.flowEvent.create({
    data: { at: atTime, correlationId, role: "authorization-server", step: 3, name: "x", outcome: "ok", data: "{}" },
  });

const interaction = (expiresAt: Date) =>
  t.db.interaction.create({
    data: {
      id: randomToken(8),
      correlationId: "run",
      clientId: "walkthrough",
      redirectUri: "http://localhost:3000/cb",
      scope: "openid",
      codeChallenge: "c",
      csrfHash: "",
      expiresAt,
    },
  });

const walkthroughRun = (correlationId: string, createdAt = at(-HOUR)) =>
  t.db.walkthroughRun.create({ data: { id: randomToken(9), keyHash: randomToken(16), correlationId, data: "{}", createdAt } });

describe("pruneDeadRows", () => {
  it("deletes expired interactions, pushed requests, DPoP proofs, sessions and instructor sessions, and attempts out of every window; keeps the rest", async () => {
    const live = await interaction(at(MINUTE));
    const justExpired = await interaction(at(-MINUTE)); // within the grace for clocks a little apart
    await interaction(at(-EXPIRED_GRACE_MS - MINUTE));
    const session = (expiresAt: Date) =>
      t.db.session.create({ data: { tokenHash: randomToken(16), userId, authTime: at(-9 * HOUR), expiresAt } });
    const liveSession = await session(at(HOUR));
    await session(at(-HOUR));
    await t.db.instructorSession.create({ data: { tokenHash: "live", expiresAt: at(HOUR) } });
    await t.db.instructorSession.create({ data: { tokenHash: "dead", expiresAt: at(-HOUR) } });
    const attempt = (ago: number) => t.db.loginAttempt.create({ data: { key: "user:alice", at: at(-ago) } });
    const counting = await attempt(10 * MINUTE);
    await attempt(15 * MINUTE + EXPIRED_GRACE_MS + MINUTE);
    const pushed = (id: string, expiresAt: Date) =>
      t.db.pushedRequest.create({ data: { id, clientId: "walkthrough", params: "[]", expiresAt } });
    await pushed("live", at(MINUTE));
    await pushed("dead", at(-EXPIRED_GRACE_MS - MINUTE));
    await t.db.dpopProof.create({ data: { id: "live", expiresAt: at(MINUTE) } });
    await t.db.dpopProof.create({ data: { id: "dead", expiresAt: at(-EXPIRED_GRACE_MS - MINUTE) } });

    const counts = await prune();
    expect(counts).toMatchObject({
      interactions: 1,
      sessions: 1,
      instructorSessions: 1,
      loginAttempts: 1,
      pushedRequests: 1,
      dpopProofs: 1,
    });
    expect((await t.db.pushedRequest.findMany()).map((r) => r.id)).toEqual(["live"]);
    expect((await t.db.dpopProof.findMany()).map((r) => r.id)).toEqual(["live"]);
    expect((await t.db.interaction.findMany()).map((r) => r.id).sort()).toEqual([live.id, justExpired.id].sort());
    expect((await t.db.session.findMany()).map((r) => r.id)).toEqual([liveSession.id]);
    expect((await t.db.instructorSession.findMany()).map((r) => r.tokenHash)).toEqual(["live"]);
    expect((await t.db.loginAttempt.findMany()).map((r) => r.id)).toEqual([counting.id]);
  });

  it("a consumed code stays, and stays spent, until it expires; an expired one goes once its grant has no token left", async () => {
    const spent = await code(at(MINUTE));
    expect(await consumeAuthorizationCode(t.db, spent.row.codeHash, "walkthrough", NOW)).not.toBeNull();
    const unused = await code(at(-EXPIRED_GRACE_MS - MINUTE));
    const withTokens = await code(at(-EXPIRED_GRACE_MS - MINUTE));
    await refreshToken(withTokens.row.id, at(HOUR));

    expect(await prune()).toMatchObject({ authorizationCodes: 1 });
    expect((await t.db.authorizationCode.findMany()).map((r) => r.id).sort()).toEqual([spent.row.id, withTokens.row.id].sort());
    expect(await t.db.authorizationCode.findUnique({ where: { id: unused.row.id } })).toBeNull();
    // Still spent: a second redemption is refused.
    expect(await consumeAuthorizationCode(t.db, spent.row.codeHash, "walkthrough", NOW)).toBeNull();
  });

  it("codes whose grants may still have tokens (grantLifetimeMs) are not looked at; older ones with no token left go", async () => {
    const lifetime = 25 * HOUR;
    const young = await code(at(-2 * HOUR)); // no token left, but within the grant's lifetime: not looked at yet
    const old = await code(at(-lifetime - EXPIRED_GRACE_MS - MINUTE));
    const oldWithTokens = await code(at(-lifetime - EXPIRED_GRACE_MS - MINUTE));
    await refreshToken(oldWithTokens.row.id, at(HOUR)); // a longer lifetime than the policy's (an instructor's): still kept
    expect(await prune({ grantLifetimeMs: lifetime })).toMatchObject({ authorizationCodes: 1 });
    expect(await t.db.authorizationCode.findUnique({ where: { id: old.row.id } })).toBeNull();
    expect(await t.db.authorizationCode.findUnique({ where: { id: young.row.id } })).not.toBeNull();
    expect(await t.db.authorizationCode.findUnique({ where: { id: oldWithTokens.row.id } })).not.toBeNull();
    expect(await prune()).toMatchObject({ authorizationCodes: 1 });
    expect(await t.db.authorizationCode.findUnique({ where: { id: young.row.id } })).toBeNull();
  });

  it("an access token goes an hour after it expired; a revoked one is kept, and refused, until then", async () => {
    const grant = (await code(at(-2 * HOUR))).row.id;
    const revoked = await accessToken(grant, at(MINUTE), { revokedAt: at(-MINUTE) });
    const expiredRecently = await accessToken(grant, at(-TOKEN_GRACE_MS + MINUTE));
    await accessToken(grant, at(-TOKEN_GRACE_MS - MINUTE));
    await accessToken(grant, at(-TOKEN_GRACE_MS - MINUTE), { revokedAt: at(-2 * HOUR) });

    // The grant's code (expired long ago) stays with its tokens: a replay of it must still revoke them.
    expect(await prune()).toMatchObject({ accessTokens: 2, authorizationCodes: 0 });
    expect((await t.db.accessToken.findMany()).map((r) => r.jti).sort()).toEqual([revoked.jti, expiredRecently.jti].sort());
    expect((await accessTokenState(t.db, revoked.jti))?.revokedAt).toEqual(at(-MINUTE));
  });

  it("a shorter grace (PURGE_GRACE_SECONDS) purges expired tokens and rows that much sooner, and no sooner, but for DPoP proofs", async () => {
    const grant = (await code(at(-2 * HOUR))).row.id;
    const kept = await accessToken(grant, at(-MINUTE + 1000));
    await accessToken(grant, at(-MINUTE - 1000));
    await interaction(at(-MINUTE - 1000));
    // A DPoP proof keeps its 5 minutes: another instance's clock may still accept its iat.
    await t.db.dpopProof.create({ data: { id: "recent", expiresAt: at(-MINUTE - 1000) } });
    const short = { expiredGraceMs: MINUTE, tokenGraceMs: MINUTE };

    expect(await prune()).toMatchObject({ accessTokens: 0, interactions: 0, dpopProofs: 0 });
    expect(await prune(short)).toMatchObject({ accessTokens: 1, interactions: 1, dpopProofs: 0 });
    expect((await t.db.accessToken.findMany()).map((r) => r.jti)).toEqual([kept.jti]);
  });

  it("a refresh token goes only when its whole family has expired: a rotated token is recognised as reused while the family lives", async () => {
    const grant = (await code(at(-3 * HOUR))).row.id;
    // The family's older token expires earlier (the instructor shortened the lifetime since, say).
    const rotated = await refreshToken(grant, at(-2 * HOUR), { rotatedAt: at(-3 * HOUR) });
    const current = await refreshToken(grant, at(HOUR));
    const deadGrant = (await code(at(-3 * HOUR))).row.id;
    await refreshToken(deadGrant, at(-2 * HOUR), { rotatedAt: at(-3 * HOUR) });
    await refreshToken(deadGrant, at(-TOKEN_GRACE_MS - MINUTE));

    const counts = await prune();
    expect(counts).toMatchObject({ refreshTokens: 2, authorizationCodes: 1 });
    expect((await t.db.refreshToken.findMany()).map((r) => r.id).sort()).toEqual([rotated.row.id, current.row.id].sort());
    // The rotated token is still known as rotated, so presenting it again is detected as reuse, not "unknown".
    expect(await rotateRefreshToken(t.db, rotated.row.tokenHash, "walkthrough", NOW)).toBeNull();
    expect((await t.db.refreshToken.findUnique({ where: { id: rotated.row.id } }))?.rotatedAt).toEqual(at(-3 * HOUR));
    // The dead family's code went with it, in the same purge; the live family's code stays.
    expect((await t.db.authorizationCode.findMany()).map((r) => r.id)).toEqual([grant]);
  });

  it("flow events go after the retention, except the newest ones (the instructor's view) and a walkthrough run's", async () => {
    const old = at(-25 * HOUR);
    await event(old, "gone");
    await event(old, "gone");
    await walkthroughRun("on-screen");
    const kept = await event(old, "on-screen");
    const recent = await event(at(-23 * HOUR), "recent");
    // The three newest (keepNewestEvents: 3) are kept whatever their age.
    const newest = [await event(old, "n1"), await event(old, "n2"), await event(old, "n3")];

    expect(await prune()).toMatchObject({ flowEvents: 2 });
    expect((await t.db.flowEvent.findMany({ orderBy: { id: "asc" } })).map((r) => r.id)).toEqual([
      kept.id,
      recent.id,
      ...newest.map((e) => e.id),
    ]);
  });

  it("a walkthrough run keeps its records until the run itself goes, after its lifetime", async () => {
    const grant = (await code(at(-3 * HOUR), "wt-run")).row.id;
    await accessToken(grant, at(-2 * HOUR), { correlationId: "wt-run" });
    await refreshToken(grant, at(-2 * HOUR), { correlationId: "wt-run" });
    await event(at(-30 * HOUR), "wt-run");
    const run = await walkthroughRun("wt-run", at(-23 * HOUR));
    await Promise.all([1, 2, 3].map(() => event(NOW, "filler")));

    expect(await prune()).toMatchObject({ walkthroughRuns: 0, accessTokens: 0, refreshTokens: 0, authorizationCodes: 0, flowEvents: 0 });
    expect(await prune({ now: at(2 * HOUR) })).toMatchObject({
      walkthroughRuns: 1,
      accessTokens: 1,
      refreshTokens: 1,
      authorizationCodes: 1,
      flowEvents: 1,
    });
    expect(await t.db.walkthroughRun.findUnique({ where: { id: run.id } })).toBeNull();
  });

  it(`deletes in batches of ${BATCH_SIZE} until none is left`, async () => {
    const old = at(-48 * HOUR);
    const rows = Array.from({ length: BATCH_SIZE * 2 + 7 }, () => ({
      at: old,
      correlationId: "bulk",
      role: "client",
      step: 1,
      name: "x",
      outcome: "ok",
      data: "{}",
    }));
    await t.db.flowEvent.createMany({ data: rows });
    expect(await prune({ keepNewestEvents: 1 })).toMatchObject({ flowEvents: BATCH_SIZE * 2 + 6 });
    expect(await t.db.flowEvent.count()).toBe(1);
    expect(await prune({ keepNewestEvents: 1 })).toMatchObject({ flowEvents: 0 });
  });

  it("two purges at once (two instances) delete each dead row once, and nothing else", async () => {
    const old = at(-48 * HOUR);
    await t.db.flowEvent.createMany({
      data: Array.from({ length: 1200 }, () => ({
        at: old,
        correlationId: "bulk",
        role: "client",
        step: 1,
        name: "x",
        outcome: "ok",
        data: "{}",
      })),
    });
    const grant = (await code(at(-3 * HOUR))).row.id;
    await t.db.accessToken.createMany({
      data: Array.from({ length: 700 }, () => ({
        jti: randomToken(12),
        grantId: grant,
        correlationId: "bulk",
        clientId: "walkthrough",
        userId,
        scope: "openid",
        expiresAt: at(-2 * HOUR),
      })),
    });
    const live = await accessToken(grant, at(HOUR));
    await Promise.all([1, 2, 3].map(() => event(NOW, "filler")));

    const other = await openDatabase(t.url);
    try {
      const results = await Promise.all([prune(), pruneDeadRows(other, databaseProvider(t.url), policy())]);
      expect(results[0].flowEvents + results[1].flowEvents).toBe(1200);
      expect(results[0].accessTokens + results[1].accessTokens).toBe(700);
    } finally {
      detachSqliteDirect(other);
      await other.$disconnect();
    }
    expect((await t.db.accessToken.findMany()).map((r) => r.jti)).toEqual([live.jti]);
    expect(await t.db.flowEvent.count()).toBe(3);
  });
});
