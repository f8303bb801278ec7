/**
 * Settings changed while the server runs, shared by every instance through the database (one row):
 * the test clock (test mode only) and the lifetimes an instructor sets (workshop mode only). In the
 * default configuration nothing here is read, so the demo pays no query for it.
 */
import type { Config } from "../config";
import type { Db } from "../db";

export type RuntimeSettings = {
  clockOffsetSeconds: number;
  codeTtlSeconds: number | null;
  accessTokenTtlSeconds: number | null;
  refreshTokenTtlSeconds: number | null;
};

const ROW = 1;
export const DEFAULT_SETTINGS: RuntimeSettings = {
  clockOffsetSeconds: 0,
  codeTtlSeconds: null,
  accessTokenTtlSeconds: null,
  refreshTokenTtlSeconds: null,
};

/** Whether this configuration reads the settings at all. */
export const usesRuntimeSettings = (config: Config) => config.testMode || config.workshop.enabled;

export async function readRuntimeSettings(db: Db): Promise<RuntimeSettings> {
  const row = await db.runtimeSettings.findUnique({ where: { id: ROW } });
  return row ?? DEFAULT_SETTINGS;
}

/** Writes some settings, creating the row on first use. */
export async function updateRuntimeSettings(db: Db, change: Partial<RuntimeSettings>): Promise<RuntimeSettings> {
  return db.runtimeSettings.upsert({ where: { id: ROW }, create: { ...DEFAULT_SETTINGS, ...change, id: ROW }, update: change });
}

/**
 * The configuration and the time a request works with: the clock's offset applies in test mode only,
 * the instructor's lifetimes in workshop mode only.
 */
export function applyRuntimeSettings(config: Config, settings: RuntimeSettings, realNow: Date): { config: Config; now: Date } {
  const now = config.testMode && settings.clockOffsetSeconds ? new Date(realNow.getTime() + settings.clockOffsetSeconds * 1000) : realNow;
  if (!config.workshop.enabled) return { config, now };
  return {
    now,
    config: {
      ...config,
      codeTtl: settings.codeTtlSeconds ?? config.codeTtl,
      accessTokenTtl: settings.accessTokenTtlSeconds ?? config.accessTokenTtl,
      refreshTokenTtl: settings.refreshTokenTtlSeconds ?? config.refreshTokenTtl,
    },
  };
}
