import "server-only";
import type { Context } from "./authorization-server/context";
import { getConfig } from "./config";
import { getDb } from "./db";
import { applyRuntimeSettings, readRuntimeSettings, usesRuntimeSettings } from "./runtime-settings";

/**
 * The context of one request: this process's database and configuration, and the current time (moved
 * by the test clock in test mode; lifetimes set by the instructor in workshop mode).
 */
export async function requestContext(): Promise<Context> {
  const db = await getDb();
  const config = getConfig();
  if (!usesRuntimeSettings(config)) return { db, config, now: new Date() };
  return { db, ...applyRuntimeSettings(config, await readRuntimeSettings(db), new Date()) };
}
