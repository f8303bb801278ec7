import "server-only";
import type { Context } from "./authorization-server/context";
import { getConfig } from "./config";
import { getDb } from "./db";

/** The context of one request: this process's database and configuration, and the current time. */
export async function requestContext(): Promise<Context> {
  return { db: await getDb(), config: getConfig(), now: new Date() };
}
