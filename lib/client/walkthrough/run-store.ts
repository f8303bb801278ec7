import type { PrismaClient } from "../../generated/prisma/client";
import type { RunData } from "./run";

/** A run lives one day; older runs are deleted when a new one starts, and by the purge (lib/records/prune.ts). */
export const RUN_LIFETIME_MS = 24 * 60 * 60 * 1000;

export type StoredRun = {
  /** The public handle, in the page's URL: it names a run, it does not open it. */
  id: string;
  keyHash: string;
  correlationId: string;
  version: number;
  createdAt: Date;
  data: RunData;
};

/** Where runs live: the Prisma implementation below, or a map in unit tests. */
export interface RunStore {
  create(run: { id: string; keyHash: string; correlationId: string; data: RunData }): Promise<StoredRun>;
  /** The runs of these key hashes, newest first. */
  list(keyHashes: string[]): Promise<StoredRun[]>;
  /**
   * Claims a run for one action: succeeds only if nobody has changed it since it was read, and bumps
   * its version, so a double-submitted button runs its action once (the second claim fails).
   */
  claim(run: StoredRun): Promise<boolean>;
  /** Writes the run's data after a successful claim. */
  save(run: StoredRun): Promise<boolean>;
  /** Deletes runs created before `before`. */
  prune(before: Date): Promise<number>;
}

export function prismaRunStore(db: PrismaClient): RunStore {
  const toRun = (row: {
    id: string;
    keyHash: string;
    correlationId: string;
    version: number;
    createdAt: Date;
    data: string;
  }): StoredRun => ({ ...row, data: JSON.parse(row.data) as RunData });
  return {
    async create(run) {
      return toRun(await db.walkthroughRun.create({ data: { ...run, data: JSON.stringify(run.data) } }));
    },
    async list(keyHashes) {
      if (keyHashes.length === 0) return [];
      const rows = await db.walkthroughRun.findMany({ where: { keyHash: { in: keyHashes } }, orderBy: { createdAt: "desc" } });
      return rows.map(toRun);
    },
    async claim(run) {
      const { count } = await db.walkthroughRun.updateMany({
        where: { id: run.id, version: run.version },
        data: { version: { increment: 1 } },
      });
      if (count === 1) run.version += 1;
      return count === 1;
    },
    async save(run) {
      const { count } = await db.walkthroughRun.updateMany({
        where: { id: run.id, version: run.version },
        data: { data: JSON.stringify(run.data), version: { increment: 1 } },
      });
      if (count === 1) run.version += 1;
      return count === 1;
    },
    async prune(before) {
      return (await db.walkthroughRun.deleteMany({ where: { createdAt: { lt: before } } })).count;
    },
  };
}
