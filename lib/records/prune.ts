import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { DatabaseProvider } from "../database-url";
import { readRows, writeRows } from "./hot-sql";

/**
 * The purge: deletes the rows nobody can use any more, so that storage stays bounded on a server that
 * runs for a whole workshop season (DESIGN.md, "Data"). A row goes only once it is dead by every rule
 * that reads it, and a little later still, for clocks of instances a little apart:
 *
 * - interactions, pushed authorization requests, the authorization server's and the instructor's
 *   sessions, and the DPoP proofs remembered against replay: once they expired;
 * - login and registration attempts: once they left the longest rate-limit window;
 * - authorization codes: once they expired (a consumed code is refused as "spent" until then, and
 *   afterwards as expired), and only when no token of their grant is left, since the code's row is
 *   the grant that a replay revokes (RFC 6749 §4.1.2) and that a token issued in a race with a
 *   revocation checks. A refresh token's family keeps the expiry of its first token, so a grant's
 *   tokens are all dead `grantLifetimeMs` after its code expired: only codes older than that are
 *   looked at, so the search does not read, at every purge, the day of codes whose grants still live;
 * - access tokens: an hour after they expired; the protected API refuses a jti it has no row for, so a
 *   revoked token is refused while its row lasts, and by its `exp` afterwards;
 * - refresh tokens: an hour after their whole family expired, so a rotated token is recognised as
 *   reused (RFC 9700 §4.14.2) for as long as any token of its family could still be used;
 * - flow events: after EVENT_RETENTION_HOURS, except those still on screen: the runs of the
 *   walkthrough (whose run also keeps its codes and tokens for the server-state panel), and the
 *   newest events, which the instructor's view loads;
 * - the walkthrough's runs, after their lifetime.
 *
 * Each statement deletes at most BATCH_SIZE rows (100), so it holds SQLite's write lock for a few
 * milliseconds only: the hot SQL (hot-sql.ts) writes on the same connection, and the purge yields to
 * it between statements. On PostgreSQL the rows of a batch are taken `FOR UPDATE SKIP LOCKED`, so
 * instances purging at the same time share the work instead of waiting on (or deadlocking with) each
 * other. `now` is an argument, as everywhere: the tests purge with their own clock.
 */

export const BATCH_SIZE = 100;
/** By default, how long past its expiry a session, interaction, attempt or code is kept. */
export const EXPIRED_GRACE_MS = 5 * 60_000;
/** By default, how long past its expiry (its family's, for a refresh token) a token is kept. */
export const TOKEN_GRACE_MS = 60 * 60_000;

export type PrunePolicy = {
  now: Date;
  /** EVENT_RETENTION_HOURS, in milliseconds. */
  eventRetentionMs: number;
  /** The longest window in which an attempt counts (sign-in, registration, the instructor's sign-in). */
  attemptWindowMs: number;
  /** The walkthrough's runs live this long. */
  walkthroughRunLifetimeMs: number;
  /** The newest events are kept whatever their age: the instructor's view loads this many. */
  keepNewestEvents: number;
  /**
   * How long past its code's expiry a grant's tokens may still have rows: the refresh token's lifetime,
   * the access token's, and their grace. Codes younger than that are not even looked at (their grants
   * may still have tokens); 0 looks at every expired code.
   */
  grantLifetimeMs: number;
  /** How long past its expiry a session, interaction, attempt or code is kept (EXPIRED_GRACE_MS by default). */
  expiredGraceMs?: number;
  /** How long past its expiry a token is kept (TOKEN_GRACE_MS by default). */
  tokenGraceMs?: number;
};

export type PruneCounts = Record<PrunedKind, number>;
export type PrunedKind =
  | "walkthroughRuns"
  | "interactions"
  | "sessions"
  | "instructorSessions"
  | "loginAttempts"
  | "pushedRequests"
  | "dpopProofs"
  | "accessTokens"
  | "refreshTokens"
  | "authorizationCodes"
  | "flowEvents";

const q = Prisma.raw;
const before = (now: Date, ms: number) => new Date(now.getTime() - ms);
/** No run of the walkthrough still shows this row. */
const notOnScreen = Prisma.sql`NOT EXISTS (SELECT 1 FROM "WalkthroughRun" "w" WHERE "w"."correlationId" = "t"."correlationId")`;

/** One batch: up to BATCH_SIZE rows of `table` matching `dead` (which names the row "t"); returns how many went. */
async function deleteBatch(db: PrismaClient, provider: DatabaseProvider, table: string, key: string, dead: Prisma.Sql): Promise<number> {
  const lock = provider === "postgresql" ? Prisma.sql` FOR UPDATE SKIP LOCKED` : Prisma.empty;
  const rows = await writeRows(
    db,
    Prisma.sql`
    DELETE FROM ${q(`"${table}"`)} WHERE ${q(`"${key}"`)} IN (
      SELECT "t".${q(`"${key}"`)} FROM ${q(`"${table}"`)} "t" WHERE ${dead} LIMIT ${BATCH_SIZE}${lock})
    RETURNING ${q(`"${key}"`)}`,
  );
  return rows.length;
}

/** Lets the requests waiting meanwhile run before the next batch. */
const yieldToRequests = () => new Promise((resolve) => setImmediate(resolve));

/** Deletes every dead row, batch by batch; returns how many of each kind went. */
export async function pruneDeadRows(db: PrismaClient, provider: DatabaseProvider, policy: PrunePolicy): Promise<PruneCounts> {
  const { now } = policy;
  const { expiredGraceMs = EXPIRED_GRACE_MS, tokenGraceMs = TOKEN_GRACE_MS } = policy;
  const expired = before(now, expiredGraceMs);
  const tokenCutoff = before(now, tokenGraceMs);
  const eventCutoff = before(now, policy.eventRetentionMs);

  // The instructor's view loads the newest events: the oldest of them, and every newer one, stay.
  const [newest] = await readRows<{ id: number }>(
    db,
    Prisma.sql`
    SELECT "id" FROM "FlowEvent" ORDER BY "id" DESC LIMIT 1 OFFSET ${Math.max(0, policy.keepNewestEvents - 1)}`,
  );
  const keepEventsFrom = newest ? Number(newest.id) : 0;

  // In order: a code goes once its grant's tokens have gone, and runs before what they keep.
  const kinds: [PrunedKind, string, string, Prisma.Sql][] = [
    ["walkthroughRuns", "WalkthroughRun", "id", Prisma.sql`"t"."createdAt" < ${before(now, policy.walkthroughRunLifetimeMs)}`],
    ["interactions", "Interaction", "id", Prisma.sql`"t"."expiresAt" < ${expired}`],
    ["sessions", "Session", "id", Prisma.sql`"t"."expiresAt" < ${expired}`],
    ["instructorSessions", "InstructorSession", "tokenHash", Prisma.sql`"t"."expiresAt" < ${expired}`],
    ["loginAttempts", "LoginAttempt", "id", Prisma.sql`"t"."at" < ${before(now, policy.attemptWindowMs + expiredGraceMs)}`],
    ["pushedRequests", "PushedRequest", "id", Prisma.sql`"t"."expiresAt" < ${expired}`],
    // Never shortened: a proof forgotten while another instance's clock still accepts its iat could be replayed there.
    ["dpopProofs", "DpopProof", "id", Prisma.sql`"t"."expiresAt" < ${before(now, EXPIRED_GRACE_MS)}`],
    ["accessTokens", "AccessToken", "jti", Prisma.sql`"t"."expiresAt" < ${tokenCutoff} AND ${notOnScreen}`],
    [
      "refreshTokens",
      "RefreshToken",
      "id",
      Prisma.sql`"t"."expiresAt" < ${tokenCutoff}
      AND NOT EXISTS (SELECT 1 FROM "RefreshToken" "f" WHERE "f"."grantId" = "t"."grantId" AND "f"."expiresAt" >= ${tokenCutoff})
      AND ${notOnScreen}`,
    ],
    [
      "authorizationCodes",
      "AuthorizationCode",
      "id",
      Prisma.sql`"t"."expiresAt" < ${before(now, expiredGraceMs + policy.grantLifetimeMs)}
      AND NOT EXISTS (SELECT 1 FROM "AccessToken" "a" WHERE "a"."grantId" = "t"."id")
      AND NOT EXISTS (SELECT 1 FROM "RefreshToken" "r" WHERE "r"."grantId" = "t"."id")
      AND ${notOnScreen}`,
    ],
    ["flowEvents", "FlowEvent", "id", Prisma.sql`"t"."at" < ${eventCutoff} AND "t"."id" < ${keepEventsFrom} AND ${notOnScreen}`],
  ];

  const counts = Object.fromEntries(kinds.map(([kind]) => [kind, 0])) as PruneCounts;
  for (const [kind, table, key, dead] of kinds) {
    for (;;) {
      const deleted = await deleteBatch(db, provider, table, key, dead);
      counts[kind] += deleted;
      await yieldToRequests();
      if (deleted < BATCH_SIZE) break;
    }
  }
  return counts;
}
