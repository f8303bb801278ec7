import { describe, expect, it } from "vitest";
import {
  groupByParticipant,
  IDLE_AFTER_SECONDS,
  machineRuns,
  mergeEvents,
  participantLabel,
  summarizeRuns,
  type InstructorEvent,
} from "./runs";

const t0 = Date.parse("2026-11-25T12:00:00Z");
const at = (s: number) => new Date(t0 + s * 1000).toISOString();
let nextId = 1;
const ev = (correlationId: string, step: number, s: number, more: Partial<InstructorEvent> = {}): InstructorEvent => ({
  id: nextId++,
  at: at(s),
  correlationId,
  role: "authorization-server",
  step,
  name: `step ${step}`,
  outcome: "ok",
  clientId: "walkthrough",
  clientName: "Walkthrough client",
  userId: null,
  username: null,
  ...more,
});
const alice = { userId: "u-alice", username: "alice" };
const bob = { userId: "u-bob", username: "bob" };

describe("summarizeRuns", () => {
  it("gives each run the highest step reached, its last event, and the user named by any of its events", () => {
    const events = [
      ev("run-a", 1, 0),
      ev("run-a", 2, 5, alice),
      ev("run-a", 3, 6, alice),
      ev("run-b", 1, 7),
      ev("run-a", 2, 8, { ...alice, name: "a late sign-in event" }),
    ];
    const [a, b] = summarizeRuns(events, new Date(t0 + 10_000));
    expect(a).toMatchObject({
      correlationId: "run-a",
      stepReached: 3,
      username: "alice",
      lastName: "a late sign-in event",
      lastAt: at(8),
      events: 4,
      status: "active",
      stuck: false,
    });
    expect(b).toMatchObject({ correlationId: "run-b", stepReached: 1, username: null, status: "active" });
  });

  it("flags a run whose last event failed as stuck, at once", () => {
    const [run] = summarizeRuns([ev("r", 1, 0), ev("r", 4, 1, { outcome: "error" })], new Date(t0 + 2000));
    expect(run).toMatchObject({ status: "failed", stuck: true, stepReached: 4 });
  });

  it("flags a run idle for more than the threshold before step 7 as stuck, and a finished run never", () => {
    const events = [ev("slow", 3, 0), ev("done", 7, 0)];
    const justBefore = summarizeRuns(events, new Date(t0 + IDLE_AFTER_SECONDS * 1000));
    expect(justBefore.map((r) => r.status)).toEqual(["active", "done"]);
    const after = summarizeRuns(events, new Date(t0 + (IDLE_AFTER_SECONDS + 1) * 1000));
    expect(after.map((r) => [r.status, r.stuck, r.idleSeconds])).toEqual([
      ["idle", true, IDLE_AFTER_SECONDS + 1],
      ["done", false, IDLE_AFTER_SECONDS + 1],
    ]);
  });

  it("a refusal the run asked for (a replay, a call without a token) is not stuck", () => {
    const wanted = summarizeRuns(
      [ev("r", 7, 0), ev("r", 4, 1, { outcome: "error" }), ev("r", 4, 2, { role: "client", outcome: "error", wanted: true })],
      new Date(t0 + 3000),
    );
    expect(wanted[0]).toMatchObject({ status: "done", stuck: false, lastWanted: true });
    // An unwanted failure after it is stuck again.
    const after = summarizeRuns(
      [ev("s", 4, 0, { role: "client", outcome: "error", wanted: true }), ev("s", 4, 1, { outcome: "error" })],
      new Date(t0 + 2000),
    );
    expect(after[0]).toMatchObject({ status: "failed", stuck: true });
  });

  it("the lab's and the self-check's runs are theirs, never stuck, and listed apart from the participants'", () => {
    const events = [
      ev("lab-1", 1, 0, { role: "client", origin: "lab" }),
      ev("lab-1", 4, 1, { outcome: "error", ...alice }),
      ev("check-1", 1, 2, { role: "client", origin: "self-check" }),
      ev("check-1", 1, 3, { outcome: "error" }),
      ev("mine", 3, 4, alice),
    ];
    const runs = summarizeRuns(events, new Date(t0 + 600_000));
    expect(runs.map((r) => [r.correlationId, r.origin, r.status, r.stuck])).toEqual([
      ["lab-1", "lab", "lab", false],
      ["check-1", "self-check", "lab", false],
      ["mine", "participant", "idle", true],
    ]);
    expect(groupByParticipant(runs).flatMap((g) => g.runs.map((r) => r.correlationId))).toEqual(["mine"]);
    const machine = machineRuns(runs);
    expect([machine.lab.map((r) => r.correlationId), machine["self-check"].map((r) => r.correlationId)]).toEqual([["lab-1"], ["check-1"]]);
  });

  it("a failure followed by a success is no longer stuck (the participant tried again)", () => {
    const [run] = summarizeRuns([ev("r", 4, 0, { outcome: "error" }), ev("r", 5, 1)], new Date(t0 + 2000));
    expect(run).toMatchObject({ status: "active", stuck: false, stepReached: 5 });
  });
});

describe("groupByParticipant", () => {
  it("groups runs by client and user: two users of the demo client, and a participant's own client, are three participants", () => {
    const events = [
      ev("a1", 3, 0, alice),
      ev("b1", 3, 1, bob),
      ev("a2", 5, 2, alice),
      ev("own", 2, 3, { ...alice, clientId: "c-123", clientName: "Maria's app" }),
      ev("anon", 1, 4),
    ];
    const groups = groupByParticipant(summarizeRuns(events, new Date(t0 + 5000)));
    expect(groups.map((g) => [participantLabel(g), g.runs.map((r) => r.correlationId)])).toEqual([
      ["alice with Maria's app (c-123)", ["own"]],
      ["alice with Walkthrough client (walkthrough)", ["a2", "a1"]],
      ["bob with Walkthrough client (walkthrough)", ["b1"]],
      ["not signed in yet with Walkthrough client (walkthrough)", ["anon"]],
    ]);
  });

  it("a run moves from 'not signed in yet' to its user when the sign-in event arrives", () => {
    const first = [ev("r", 1, 0)];
    expect(groupByParticipant(summarizeRuns(first, new Date(t0))).map(participantLabel)).toEqual([
      "not signed in yet with Walkthrough client (walkthrough)",
    ]);
    const later = [...first, ev("r", 2, 1, bob)];
    expect(groupByParticipant(summarizeRuns(later, new Date(t0))).map(participantLabel)).toEqual([
      "bob with Walkthrough client (walkthrough)",
    ]);
  });
});

describe("mergeEvents", () => {
  it("adds new events in id order without duplicates, keeping the newest `max`", () => {
    const [e1, e2, e3] = [ev("r", 1, 0), ev("r", 2, 1), ev("r", 3, 2)];
    expect(mergeEvents([e1, e2], [e2, e3]).map((e) => e.id)).toEqual([e1.id, e2.id, e3.id]);
    expect(mergeEvents([e1, e2], [e3], 2).map((e) => e.id)).toEqual([e2.id, e3.id]);
  });
});
