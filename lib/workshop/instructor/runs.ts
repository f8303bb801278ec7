/**
 * What the instructor sees of the room: flow events grouped by participant and by run, with the step
 * each run has reached and whether it looks stuck. Pure functions of the events and the time, shared by
 * the live page (a client component) and the unit tests; no server code here.
 *
 * A participant is a (client, user) pair: participants register a client of their own
 * (/clients/new), whose id tells them apart even when everyone signs in as one of the two demo users;
 * with the shared demo client, the user who signed in tells them apart. A run is one correlation id
 * (one authorization request and everything it produced). Runs the lab and the self-check made (their
 * marker event) are set apart, never stuck: their refusals are the lesson.
 */

import type { RunOrigin } from "../../run-origin";

/** One flow event as the instructor's stream sends it: no HTTP messages, just who, which step and how it went. */
export type InstructorEvent = {
  id: number;
  at: string;
  correlationId: string;
  role: string;
  step: number;
  name: string;
  outcome: "ok" | "error";
  clientId: string | null;
  clientName: string | null;
  userId: string | null;
  username: string | null;
  /** The lab's or the self-check's marker event: the run is theirs. */
  origin?: RunOrigin;
  /** A client's request sent to be refused ("teach by failing"): its refusal is not a failure of the run. */
  wanted?: boolean;
};

export type RunStatus = "active" | "done" | "failed" | "idle" | "lab";

export type RunSummary = {
  correlationId: string;
  clientId: string | null;
  clientName: string | null;
  userId: string | null;
  username: string | null;
  /** The highest step (1-7) any event of the run reached. */
  stepReached: number;
  startedAt: string;
  lastAt: string;
  lastName: string;
  lastOutcome: "ok" | "error";
  /** The last event was a refusal the run asked for. */
  lastWanted: boolean;
  /** Who made the run: a participant, or the lab or the self-check. */
  origin: "participant" | RunOrigin;
  events: number;
  status: RunStatus;
  /** Failed or idle: the instructor should look at it. */
  stuck: boolean;
  idleSeconds: number;
};

export type ParticipantGroup = {
  key: string;
  clientId: string | null;
  clientName: string | null;
  username: string | null;
  runs: RunSummary[];
};

/** A run whose last event is older than this, and which has not reached the API's answer (step 7), is idle. */
export const IDLE_AFTER_SECONDS = 60;
/** The step at which a run has done what the walkthrough teaches: the API answered. */
export const LAST_STEP = 7;

/** Who a participant is, for people: the user and the client. */
export function participantLabel(group: Pick<ParticipantGroup, "username" | "clientId" | "clientName">): string {
  const user = group.username ?? "not signed in yet";
  const client = group.clientId
    ? group.clientName && group.clientName !== group.clientId
      ? `${group.clientName} (${group.clientId})`
      : group.clientId
    : "no client";
  return `${user} with ${client}`;
}

/**
 * How a run stands: the lab's or the self-check's (lab), its last event failed and no one asked for the
 * refusal (failed), it reached step 7 and its last event succeeded or was a wanted refusal (done), or
 * nothing happened for `idleAfter` seconds (idle); otherwise active.
 */
export function runStatus(
  run: Pick<RunSummary, "stepReached" | "lastOutcome" | "lastAt"> & Partial<Pick<RunSummary, "lastWanted" | "origin">>,
  now: Date,
  idleAfter = IDLE_AFTER_SECONDS,
): { status: RunStatus; idleSeconds: number } {
  const idleSeconds = Math.max(0, Math.floor((now.getTime() - Date.parse(run.lastAt)) / 1000));
  if (run.origin && run.origin !== "participant") return { status: "lab", idleSeconds };
  if (run.lastOutcome === "error" && !run.lastWanted) return { status: "failed", idleSeconds };
  if (run.stepReached >= LAST_STEP) return { status: "done", idleSeconds };
  return { status: idleSeconds > idleAfter ? "idle" : "active", idleSeconds };
}

/** Folds events (in id order) into runs; a run takes its client and user from the first event that names them. */
export function summarizeRuns(events: InstructorEvent[], now: Date, idleAfter = IDLE_AFTER_SECONDS): RunSummary[] {
  const runs = new Map<string, RunSummary>();
  for (const e of [...events].sort((a, b) => a.id - b.id)) {
    let run = runs.get(e.correlationId);
    if (!run) {
      run = {
        correlationId: e.correlationId,
        clientId: null,
        clientName: null,
        userId: null,
        username: null,
        stepReached: 0,
        startedAt: e.at,
        lastAt: e.at,
        lastName: e.name,
        lastOutcome: e.outcome,
        lastWanted: false,
        origin: "participant",
        events: 0,
        status: "active",
        stuck: false,
        idleSeconds: 0,
      };
      runs.set(e.correlationId, run);
    }
    if (!run.clientId && e.clientId) Object.assign(run, { clientId: e.clientId, clientName: e.clientName });
    if (!run.userId && e.userId) Object.assign(run, { userId: e.userId, username: e.username });
    if (e.origin) run.origin = e.origin;
    run.stepReached = Math.max(run.stepReached, e.step);
    Object.assign(run, { lastAt: e.at, lastName: e.name, lastOutcome: e.outcome, lastWanted: !!e.wanted, events: run.events + 1 });
  }
  return [...runs.values()].map((run) => {
    const { status, idleSeconds } = runStatus(run, now, idleAfter);
    return { ...run, status, idleSeconds, stuck: status === "failed" || status === "idle" };
  });
}

/** Newest activity first. */
const newestFirst = (a: RunSummary, b: RunSummary) => b.lastAt.localeCompare(a.lastAt) || a.correlationId.localeCompare(b.correlationId);

/** The runs the lab and the self-check made, each newest first: listed apart from the participants'. */
export function machineRuns(runs: RunSummary[]): Record<RunOrigin, RunSummary[]> {
  return {
    lab: runs.filter((r) => r.origin === "lab").sort(newestFirst),
    "self-check": runs.filter((r) => r.origin === "self-check").sort(newestFirst),
  };
}

/** Participants' runs (not the lab's or the self-check's) grouped by participant: groups in label order, each group's runs newest activity first. */
export function groupByParticipant(runs: RunSummary[]): ParticipantGroup[] {
  const groups = new Map<string, ParticipantGroup>();
  for (const run of runs) {
    if (run.origin !== "participant") continue;
    const key = `${run.clientId ?? ""}\u0000${run.userId ?? ""}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, clientId: run.clientId, clientName: run.clientName, username: run.username, runs: [] }));
    group.runs.push(run);
  }
  for (const group of groups.values()) group.runs.sort(newestFirst);
  return [...groups.values()].sort((a, b) => participantLabel(a).localeCompare(participantLabel(b)));
}

/** Keeps the newest `max` events (the page's memory bound), in id order, without duplicates. */
export function mergeEvents(known: InstructorEvent[], incoming: InstructorEvent[], max = 5000): InstructorEvent[] {
  const byId = new Map(known.map((e) => [e.id, e]));
  for (const e of incoming) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => a.id - b.id).slice(-max);
}
