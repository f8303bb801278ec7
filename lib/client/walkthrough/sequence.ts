import type { FlowEventView, HttpExchange, Role } from "../../events";

/**
 * The sequence diagram of a run: the four roles as lanes and one row per recorded event, merged from
 * the client's own events (roles client and browser, in this app's database) and the authorization
 * and resource servers' events (fetched from the authorization server, wherever it runs).
 */

export type Lane = "browser" | "client" | "authorization-server" | "resource-server";

export const LANES: readonly { lane: Lane; name: string; short: string }[] = [
  { lane: "browser", name: "User's browser", short: "Browser" },
  { lane: "client", name: "Client app server", short: "Client" },
  { lane: "authorization-server", name: "Authorization server", short: "Auth server" },
  { lane: "resource-server", name: "Resource server", short: "API" },
];

export const laneName = (lane: Lane): string => LANES.find((l) => l.lane === lane)!.name;
export const laneIndex = (lane: Lane): number => LANES.findIndex((l) => l.lane === lane);

export type DiagramRow = {
  key: string;
  at: string;
  step: number;
  /** A message goes from one lane to another; a note (from = to) is something a role did by itself. */
  from: Lane;
  to: Lane;
  name: string;
  recordedBy: Role;
  outcome: "ok" | "error";
  http?: HttpExchange;
  detail?: Record<string, unknown>;
  /** When its role recorded it (for a client's request: once the answer came back). */
  recordedAt: string;
  /** The same message as the other side recorded it: the API's own records of a client's call to it. */
  records?: DiagramRow[];
};

/**
 * The channel a message travels: through the browser (front channel, redirects the user can see) or
 * server to server (back channel); a note on one lane is neither. As the overview's legend draws them.
 */
export function channelOf(row: Pick<DiagramRow, "from" | "to">): "front" | "back" | "none" {
  if (row.from === row.to) return "none";
  return row.from === "browser" || row.to === "browser" ? "front" : "back";
}

const isLane = (value: unknown): value is Lane => LANES.some((l) => l.lane === value);

/**
 * Which lanes an event connects. The client's events name them; a server's events are read by step:
 * the authorization server hears the browser in steps 1–2, answers it in step 3, and answers the
 * client's back channel after that; the resource server receives the call (6) and answers it (7).
 */
export function arrowOf(event: Pick<FlowEventView, "role" | "step" | "detail">): { from: Lane; to: Lane } {
  const { from, to } = event.detail ?? {};
  if (isLane(from) && isLane(to)) return { from, to };
  switch (event.role) {
    case "authorization-server":
      if (event.step <= 2) return { from: "browser", to: "authorization-server" };
      if (event.step === 3) return { from: "authorization-server", to: "browser" };
      return { from: "authorization-server", to: "client" };
    case "resource-server":
      return event.step === 6 ? { from: "resource-server", to: "resource-server" } : { from: "resource-server", to: "client" };
    case "browser":
      return { from: "browser", to: "client" };
    default:
      return { from: "client", to: "client" };
  }
}

/** When it happened: the client's events carry the instant their request left, before the server's answer. */
const timeOf = (event: FlowEventView) => {
  const started = event.detail?.startedAt;
  return Date.parse(typeof started === "string" ? started : event.at);
};

/**
 * The rows of a run, oldest first. Only the client's own roles are taken from this app's events and
 * only the servers' roles from the authorization server's, so nothing is drawn twice when all roles
 * share one database.
 */
export function diagramRows(own: FlowEventView[], servers: FlowEventView[]): DiagramRow[] {
  const mine = own.filter((e) => e.role === "client" || e.role === "browser").map((e, i) => ({ e, source: "c", i }));
  const theirs = servers
    .filter((e) => e.role === "authorization-server" || e.role === "resource-server")
    .map((e, i) => ({ e, source: "s", i }));
  return [...mine, ...theirs]
    .sort((a, b) => timeOf(a.e) - timeOf(b.e) || (a.source === b.source ? a.i - b.i : a.source === "c" ? -1 : 1))
    .map(({ e, source }) => ({
      key: `${source}${e.id}`,
      at: new Date(timeOf(e)).toISOString(),
      step: e.step,
      ...arrowOf(e),
      name: e.name,
      recordedBy: e.role,
      outcome: e.outcome,
      ...(e.http ? { http: e.http } : {}),
      ...(e.detail ? { detail: e.detail } : {}),
      recordedAt: e.at,
    }));
}

/** How far apart two roles' clocks may be and still record one call (the API runs on another host, perhaps). */
const CALL_WINDOW_MS = 2000;

const requestLine = (row: DiagramRow) => {
  const request = row.http?.request;
  if (!request) return undefined;
  try {
    return `${request.method} ${new URL(request.url, "http://x").pathname}`;
  } catch {
    return undefined;
  }
};

/**
 * Each call of the client to the API drawn once: the client records its request and the answer, and the
 * API records the same call as it received it (step 6) and as it answered (step 7). Those two records go
 * with the client's row (opened together), matched by method and path while the call was in flight.
 */
export function mergeApiCalls(rows: DiagramRow[]): DiagramRow[] {
  const claimed = new Set<string>();
  const merged = rows.map((row) => {
    const line = requestLine(row);
    if (row.recordedBy !== "client" || row.to !== "resource-server" || !line) return row;
    const from = Date.parse(row.at) - CALL_WINDOW_MS;
    const until = Date.parse(row.recordedAt) + CALL_WINDOW_MS;
    const within = (r: DiagramRow) =>
      !claimed.has(r.key) && r.recordedBy === "resource-server" && Date.parse(r.at) >= from && Date.parse(r.at) <= until;
    const received = rows.findIndex((r) => within(r) && r.step === 6 && requestLine(r) === line);
    if (received < 0) return row;
    const answered = rows.findIndex((r, i) => i > received && within(r) && r.step === 7);
    const records = [rows[received], ...(answered >= 0 ? [rows[answered]] : [])];
    for (const r of records) claimed.add(r.key);
    return { ...row, records };
  });
  return merged.filter((row) => !claimed.has(row.key));
}
