import "server-only";
import type { Context } from "./oauth/context";
import { getConfig } from "./config";
import { isDatabaseUnavailable } from "./database-unavailable";
import { getDb, type Db } from "./db";
import { eventRecorder } from "./event-recorder";
import {
  applyRuntimeSettings,
  DEFAULT_SETTINGS,
  readRuntimeSettings,
  usesRuntimeSettings,
  type RuntimeSettings,
} from "./records/runtime-settings";

/**
 * The context of one request: this process's database and configuration, and the current time (moved
 * by the test clock in test mode; lifetimes set by the instructor in workshop mode).
 */
export async function requestContext(): Promise<Context> {
  const db = await getDb();
  const config = getConfig();
  const emit = eventRecorder(db);
  if (!usesRuntimeSettings(config)) return { db, config, now: new Date(), emit };
  return { db, emit, ...applyRuntimeSettings(config, await settingsOrLastKnown(db), new Date()) };
}

let lastKnown: RuntimeSettings = DEFAULT_SETTINGS;

/**
 * The settings, or while the database is unavailable the ones last read: the request then goes on to
 * its handler, whose own database call fails and is answered 503 temporarily_unavailable, instead of a
 * 500 from here, outside every handler's error mapping.
 */
async function settingsOrLastKnown(db: Db): Promise<RuntimeSettings> {
  try {
    return (lastKnown = await readRuntimeSettings(db));
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    return lastKnown;
  }
}
