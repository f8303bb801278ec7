import type { FlowEventInput, FlowEventView } from "../../events";
import type { Fetch } from "../core/recorded-fetch";
import type { RunData } from "./run";
import type { RunStore } from "./run-store";

/** The walkthrough client's registration and where it finds the other roles. */
export type WalkthroughClient = {
  clientId: string;
  /** Undefined for a public client, which sends only its client_id (RFC 6749 §2.3, RFC 7636). */
  clientSecret?: string;
  /** This app's base URL; the redirect URI is below it. */
  appUrl: string;
  redirectUri: string;
  /** The authorization server (discovered through its metadata). */
  issuer: string;
  /** The protected API's base URL (`/api/me`, `/api/notes`). */
  resourceServerUrl: string;
  secureCookies: boolean;
};

/** What every walkthrough operation works with; the clock and fetch are arguments so tests control them. */
export type WalkthroughContext = {
  client: WalkthroughClient;
  store: RunStore;
  /** Records one of this client's flow events (role client or browser) in this app's database. */
  record: (event: FlowEventInput) => Promise<void>;
  /** This app's recorded events of a run. */
  ownEvents: (correlationId: string) => Promise<FlowEventView[]>;
  fetch: Fetch;
  now: () => Date;
};

/**
 * The context of one run: a run started with a participant's own registration (RunData.client) uses
 * that client_id and secret instead of the configured demo client's.
 */
export function forRun(ctx: WalkthroughContext, data: Pick<RunData, "client">): WalkthroughContext {
  if (!data.client) return ctx;
  return { ...ctx, client: { ...ctx.client, clientId: data.client.clientId, clientSecret: data.client.clientSecret } };
}
