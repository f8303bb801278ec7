import type { FlowEventInput, FlowEventView } from "../../events";
import type { Fetch } from "./recorded-fetch";
import type { RunStore } from "./run-store";

/** The walkthrough client's registration and where it finds the other roles. */
export type WalkthroughClient = {
  clientId: string;
  clientSecret: string;
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
