import type { Context } from "./oauth/context";
import { addSeconds } from "./oauth/context";

export type Limit = { key: string; max: number };

/**
 * A sliding-window limit on the LoginAttempt rows (OWASP ASVS 2.2.1). The attempt is counted against
 * every limit before the work it guards, so parallel requests cannot all pass before any is recorded;
 * one refused is taken back and does not extend the lock. Returns the ids of the attempts counted, or
 * null when a limit is reached.
 */
export async function reserveAttempt(ctx: Context, limits: Limit[], windowSeconds: number): Promise<number[] | null> {
  const since = addSeconds(ctx.now, -windowSeconds);
  const attempts = await ctx.db.$transaction(limits.map(({ key }) => ctx.db.loginAttempt.create({ data: { key, at: ctx.now } })));
  const counts = await Promise.all(limits.map(({ key }) => ctx.db.loginAttempt.count({ where: { key, at: { gt: since } } })));
  if (counts.every((count, i) => count <= limits[i].max)) return attempts.map((a) => a.id);
  await ctx.db.loginAttempt.deleteMany({ where: { id: { in: attempts.map((a) => a.id) } } });
  return null;
}
