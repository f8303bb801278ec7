import type { PrismaClient } from "../generated/prisma/client";

/**
 * The counted attempts of every rate limit (LoginAttempt): sign-ins, registrations, the instructor's
 * sign-in and the self-check. A row is one attempt under one key (lib/rate-limit.ts names the keys).
 */

/** Counts one attempt under each key at once (one transaction); their ids, in order. */
export async function insertAttempts(db: PrismaClient, keys: string[], at: Date): Promise<number[]> {
  const rows = await db.$transaction(keys.map((key) => db.loginAttempt.create({ data: { key, at } })));
  return rows.map((r) => r.id);
}

export function countAttemptsSince(db: PrismaClient, key: string, since: Date): Promise<number> {
  return db.loginAttempt.count({ where: { key, at: { gt: since } } });
}

/** Takes back attempts: by id, or every attempt under some keys. */
export async function deleteAttempts(db: PrismaClient, which: { ids?: number[]; keys?: string[] }): Promise<void> {
  const or = [...(which.ids?.length ? [{ id: { in: which.ids } }] : []), ...(which.keys?.length ? [{ key: { in: which.keys } }] : [])];
  if (or.length) await db.loginAttempt.deleteMany({ where: { OR: or } });
}

/** The attempts since `since` under keys starting with one of `prefixes`, oldest first (the instructor's lockout list). */
export function attemptsSince(db: PrismaClient, prefixes: string[], since: Date, take: number): Promise<{ key: string; at: Date }[]> {
  return db.loginAttempt.findMany({
    where: { at: { gt: since }, OR: prefixes.map((p) => ({ key: { startsWith: p } })) },
    orderBy: { at: "asc" },
    select: { key: true, at: true },
    take,
  });
}
