import "server-only";
import { getConfig } from "../../config";
import { getDb } from "../../db";
import { listEvents, recordEvent } from "../../events";
import type { WalkthroughContext } from "./context";
import { prismaRunStore } from "./run-store";

/** The walkthrough's context in this process: its database, its configuration, real time and fetch. */
export async function walkthroughContext(): Promise<WalkthroughContext> {
  const db = await getDb();
  const config = getConfig();
  return {
    client: {
      clientId: config.client.walkthrough.id,
      clientSecret: config.client.walkthrough.secret,
      appUrl: config.issuer,
      redirectUri: `${config.issuer}/walkthrough/callback`,
      issuer: config.client.issuer,
      resourceServerUrl: config.client.resourceServerUrl,
      secureCookies: config.secureCookies,
    },
    store: prismaRunStore(db),
    record: (event) => recordEvent(db, event),
    ownEvents: (correlationId) => listEvents(db, correlationId),
    fetch: (input, init) => fetch(input, init),
    now: () => new Date(),
  };
}
