import { addSeconds, type Context } from "../../oauth/context";
import { parseLoginLimitKey, signInLimit, type LoginLimitKey } from "../../rate-limit";

import { attemptsSince, deleteAttempts } from "../../records/login-attempt";
/**
 * The room's sign-in lockouts, as the instructor sees them: each key of the users' sign-in limit
 * (lib/authorization-server/interaction.ts) whose failures within LOGIN_WINDOW_SECONDS have reached its
 * limit, so that the next attempt is refused. Lifting one deletes that key's failures and nothing else:
 * the other participants' counts, the runs and the events stay.
 */

export type Lockout = { key: string; who: LoginLimitKey; label: string; failures: number; since: string; liftsAt: string };

/** Who a lockout keeps out, in words. */
export function lockoutLabel(who: LoginLimitKey): string {
  switch (who.kind) {
    case "account":
      return `${who.username}, in every browser`;
    case "account-browser":
      return `${who.username}, in one browser (${who.browser.slice(0, 6)})`;
    case "address":
      return `every account, from the address ${who.ip}`;
  }
}

/** The lockouts in force now, the newest first. */
export async function activeLockouts(ctx: Context): Promise<Lockout[]> {
  const rows = await attemptsSince(ctx.db, ["user:", "ip:"], addSeconds(ctx.now, -ctx.config.loginWindow), 20_000);
  const byKey = new Map<string, Date[]>();
  for (const r of rows) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r.at]);
  const lockouts: Lockout[] = [];
  for (const [key, times] of byKey) {
    const who = parseLoginLimitKey(key);
    if (!who) continue;
    const max = signInLimit(ctx.config, who);
    if (times.length < max) continue;
    // The lock ends when enough failures have left the window for the count to drop below the limit.
    const liftsAt = addSeconds(times[times.length - max], ctx.config.loginWindow);
    lockouts.push({
      key,
      who,
      label: lockoutLabel(who),
      failures: times.length,
      since: times[max - 1].toISOString(),
      liftsAt: liftsAt.toISOString(),
    });
  }
  return lockouts.sort((a, b) => b.since.localeCompare(a.since));
}

/** Lifts one lockout: its key's failures are forgotten. Returns who it kept out, or null for a key that is not a sign-in limit's. */
export async function liftLockout(ctx: Context, key: string): Promise<LoginLimitKey | null> {
  const who = key.length <= 200 ? parseLoginLimitKey(key) : null;
  if (!who) return null;
  await deleteAttempts(ctx.db, { keys: [key] });
  return who;
}
