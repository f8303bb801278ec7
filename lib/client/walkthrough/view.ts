import { runAuthorizationUrl } from "./actions";
import { forRun, type WalkthroughContext } from "./context";
import { discover, type ServerMetadata } from "../core/discovery";
import type { FlowState } from "../../oauth/flow-state";
import { apiAnswers, type ApiAnswer } from "./api-checks";
import { fetchServerEvents } from "../core/flow-events";
import { currentSteps } from "./run";
import type { StoredRun } from "./run-store";
import { readRunKeysFromHeader, runKeyHash } from "./runs-cookie";
import { diagramRows, mergeApiCalls, type DiagramRow } from "./sequence";
import { secretPreview } from "../core/mask";
import { runName } from "../../run-name";
import { fetchServerState } from "../core/server-state";

const runClientView = (ctx: WalkthroughContext, isDemo: boolean) => {
  const { clientId, clientSecret } = ctx.client;
  return {
    clientId,
    isDemo,
    isPublic: clientSecret === undefined,
    ...(clientSecret === undefined ? {} : { secretPreview: secretPreview(clientSecret) }),
  };
};

/** What the code's countdown is based on: the authorization server's own record of issuing it. */
export type CodeLifetime = { issuedAt: string; expiresAt?: string; lifetimeSeconds?: number };

export type WalkthroughView =
  /** This browser has no run: the page offers to start one. */
  | { kind: "none"; refusedWithoutRun: boolean }
  /** The URL names a run this browser does not hold (another browser's, or an expired one). */
  | { kind: "not-found" }
  | {
      kind: "run";
      run: StoredRun;
      /** The client this run acts as: the demo client or a participant's own (its secret is never rendered, only a preview). */
      client: { clientId: string; isPublic: boolean; isDemo: boolean; secretPreview?: string };
      /** The browser's other runs (other tabs), newest first. */
      otherRuns: { id: string; name: string; createdAt: string }[];
      metadata?: ServerMetadata;
      metadataError?: string;
      authorizationUrl?: string;
      rows: DiagramRow[];
      eventsError?: string;
      current: number[];
      /** The authorization server's own records of the run (code, access tokens, refresh tokens) and their states. */
      serverState?: FlowState;
      serverStateError?: string;
      /** The resource server's latest answers, check by check. */
      apiAnswers: ApiAnswer[];
      code?: CodeLifetime;
      now: string;
    };

/**
 * Everything the page shows of one run, loaded on the server: the run (only if this browser's cookie
 * holds its key), the server's metadata, and the merged events of the run for the sequence diagram.
 */
export async function loadWalkthrough(
  ctx: WalkthroughContext,
  cookieHeader: string | null,
  query: { run?: string; refused?: string },
): Promise<WalkthroughView> {
  const runs = await ctx.store.list(readRunKeysFromHeader(cookieHeader).map(runKeyHash));
  if (query.run !== undefined && !runs.some((r) => r.id === query.run)) return { kind: "not-found" };
  const run = query.run === undefined ? runs[0] : runs.find((r) => r.id === query.run);
  if (!run) return { kind: "none", refusedWithoutRun: query.refused === "no-run" };

  let metadata: ServerMetadata | undefined;
  let metadataError: string | undefined;
  try {
    metadata = await discover(ctx.client.issuer, ctx.fetch, ctx.now().getTime());
  } catch (error) {
    metadataError = error instanceof Error ? error.message : String(error);
  }
  const proof = { correlationId: run.correlationId, codeVerifier: run.data.codeVerifier };
  const [own, servers, records] = await Promise.all([
    ctx.ownEvents(run.correlationId),
    fetchServerEvents(ctx.client.issuer, proof, ctx.fetch),
    fetchServerState(ctx.client.issuer, proof, ctx.fetch),
  ]);
  const rows = mergeApiCalls(diagramRows(own, servers.events));

  const issued = servers.events.findLast(
    (e) => e.role === "authorization-server" && e.step === 3 && typeof e.detail?.codeLifetimeSeconds === "number",
  );
  let code: CodeLifetime | undefined;
  if (run.data.callback?.response.code) {
    const lifetime = issued?.detail?.codeLifetimeSeconds as number | undefined;
    code =
      issued && lifetime
        ? { issuedAt: issued.at, lifetimeSeconds: lifetime, expiresAt: new Date(Date.parse(issued.at) + lifetime * 1000).toISOString() }
        : { issuedAt: run.data.callback.receivedAt };
  }

  return {
    kind: "run",
    run,
    client: runClientView(forRun(ctx, run.data), !run.data.client),
    otherRuns: runs
      .filter((r) => r.id !== run.id)
      .map((r) => ({ id: r.id, name: runName(r.correlationId), createdAt: r.createdAt.toISOString() })),
    metadata,
    metadataError,
    authorizationUrl: metadata ? runAuthorizationUrl(forRun(ctx, run.data), run.data, metadata) : undefined,
    rows,
    eventsError: servers.error,
    current: currentSteps(run.data),
    code,
    now: ctx.now().toISOString(),
    serverState: records.state,
    serverStateError: records.error,
    apiAnswers: apiAnswers(servers.events),
  };
}
