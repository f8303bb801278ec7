import { RUN_LIFETIME_MS } from "./client/walkthrough/run-store";
import type { Config } from "./config";
import { databaseProvider } from "./database-url";
import type { Db } from "./db";
import { INSTRUCTOR_BACKLOG } from "./workshop/instructor/stream";
import { EXPIRED_GRACE_MS, pruneDeadRows, TOKEN_GRACE_MS, type PruneCounts, type PrunePolicy } from "./records/prune";

/**
 * The purge of lib/records/prune.ts as this app runs it: the policy from the configuration (and from what the
 * walkthrough and the instructor's view keep on screen), periodically in the server, and once from
 * `npm run db:prune`.
 */

/** The purge's rules for this configuration, at `now` (the real clock: a test clock only runs ahead). */
export function prunePolicy(config: Config, now: Date): PrunePolicy {
  const grace = config.purgeGrace === undefined ? undefined : config.purgeGrace * 1000;
  const tokenGraceMs = grace ?? TOKEN_GRACE_MS;
  return {
    now,
    eventRetentionMs: config.eventRetention * 1000,
    attemptWindowMs: Math.max(config.loginWindow, config.registrationWindow) * 1000,
    walkthroughRunLifetimeMs: RUN_LIFETIME_MS,
    keepNewestEvents: INSTRUCTOR_BACKLOG,
    // A family keeps its first expiry; its last access token can outlive it by its own lifetime.
    grantLifetimeMs: (config.refreshTokenTtl + config.accessTokenTtl) * 1000 + tokenGraceMs,
    expiredGraceMs: grace ?? EXPIRED_GRACE_MS,
    tokenGraceMs,
  };
}

export function pruneNow(db: Db, config: Config, now = new Date()): Promise<PruneCounts> {
  return pruneDeadRows(db, databaseProvider(config.databaseUrl), prunePolicy(config, now));
}

/** The first purge comes this soon after the start (or after the interval, if shorter). */
const FIRST_PRUNE_MS = 60_000;

/**
 * Purges every `config.pruneInterval` seconds, on one unref'd timer (it never keeps the process alive),
 * one purge at a time (`timer` is setTimeout, but for tests). Several instances may purge the same
 * database at once (lib/records/prune.ts).
 */
export function startPruning(
  config: Config,
  getDb: () => Promise<Db>,
  timer: (run: () => void, ms: number) => { unref(): unknown } = setTimeout,
): void {
  if (!config.pruneInterval) return;
  const intervalMs = config.pruneInterval * 1000;
  const schedule = (delay: number) => timer(run, delay).unref();
  async function run() {
    try {
      const counts = await pruneNow(await getDb(), config);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      if (total)
        console.log(
          `[authcode-lab] purged ${total} dead rows: ${Object.entries(counts)
            .filter(([, n]) => n)
            .map(([k, n]) => `${n} ${k}`)
            .join(", ")}`,
        );
    } catch (error) {
      console.error("[authcode-lab] purge failed (tried again later):", error instanceof Error ? error.message : error);
    }
    schedule(intervalMs);
  }
  schedule(Math.min(FIRST_PRUNE_MS, intervalMs));
}
