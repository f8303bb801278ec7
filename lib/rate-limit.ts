import type { Config } from "./config";
import type { Context } from "./oauth/context";
import { addSeconds } from "./oauth/context";
import { countAttemptsSince, deleteAttempts, insertAttempts } from "./records/login-attempt";

export type Limit = { key: string; max: number };

/**
 * A sliding-window limit on the LoginAttempt rows (OWASP ASVS 2.2.1). The attempt is counted against
 * every limit before the work it guards, so parallel requests cannot all pass before any is recorded;
 * one refused is taken back and does not extend the lock. Returns the first limit reached (the attempt
 * then was not counted), or the ids of the attempt's rows, one per limit, when it was counted and may
 * go on (a success may take some back).
 */
export async function countAttempt(
  ctx: Context,
  limits: Limit[],
  windowSeconds: number,
): Promise<{ reached: Limit; ids?: undefined } | { reached?: undefined; ids: number[] }> {
  const since = addSeconds(ctx.now, -windowSeconds);
  const ids = await insertAttempts(
    ctx.db,
    limits.map((l) => l.key),
    ctx.now,
  );
  const counts = await Promise.all(limits.map(({ key }) => countAttemptsSince(ctx.db, key, since)));
  const reached = limits.find((limit, i) => counts[i] > limit.max);
  if (!reached) return { ids };
  await deleteAttempts(ctx.db, { ids });
  return { reached };
}

/** The sign-in limit of a key: LOGIN_MAX_FAILURES per account (or account and browser), four times that per address. */
export const signInLimit = (config: Pick<Config, "loginMaxFailures">, who: LoginLimitKey) =>
  who.kind === "address" ? config.loginMaxFailures * 4 : config.loginMaxFailures;

/** Whose sign-ins a limit counts: an account, an account in one browser, or an address. */
export type LoginLimitKey =
  | { kind: "account"; username: string }
  | { kind: "account-browser"; username: string; browser: string }
  | { kind: "address"; ip: string };

/**
 * The LoginAttempt key of a sign-in limit: written by the authorization server's sign-in
 * (lib/authorization-server/interaction.ts), read back by the instructor's lockout list.
 */
export const limitKey = (k: LoginLimitKey) =>
  k.kind === "address" ? `ip:${k.ip}` : k.kind === "account" ? `user:${k.username}` : `user:${k.username} browser:${k.browser}`;

export function parseLoginLimitKey(key: string): LoginLimitKey | null {
  const browser = /^user:(.+) browser:([A-Za-z0-9_-]{16})$/.exec(key);
  if (browser) return { kind: "account-browser", username: browser[1], browser: browser[2] };
  if (key.startsWith("user:") && key.length > 5) return { kind: "account", username: key.slice(5) };
  if (key.startsWith("ip:") && key.length > 3) return { kind: "address", ip: key.slice(3) };
  return null;
}
