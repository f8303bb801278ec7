"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { count } from "@/app/_components/count";
import { runName } from "@/lib/run-name";
import {
  groupByParticipant,
  LAST_STEP,
  machineRuns,
  mergeEvents,
  participantLabel,
  summarizeRuns,
  type InstructorEvent,
  type RunSummary,
} from "@/lib/workshop/instructor/runs";

type Connection = "connecting" | "live" | "reconnecting";

const STEP_NAMES = [
  "",
  "Authorization request",
  "Sign-in and consent",
  "Code at the redirect URI",
  "Code exchange",
  "Tokens",
  "API call",
  "API answer",
];

/** The authorization server's events of a failed or refused sign-in (lib/authorization-server/interaction.ts), which change the lockouts. */
const isSignInTrouble = (e: InstructorEvent) => e.step === 2 && e.outcome === "error" && e.name.startsWith("Sign-in");

const time = (iso: string) => new Date(iso).toLocaleTimeString("en-GB", { hour12: false });

function statusText(run: RunSummary): string {
  switch (run.status) {
    case "failed":
      return "Stuck: the last step failed";
    case "idle":
      return `Stuck: idle for ${run.idleSeconds} s`;
    case "done":
      return "Done: the API answered";
    case "lab":
      return run.origin === "lab" ? "The lab's run: its refusals are the lesson" : "The self-check's run: its refusals are checks passing";
    default:
      return "Active";
  }
}

/**
 * The room, live: an EventSource on /instructor/events (reconnecting after an error, from the last event
 * it saw), folded into participants and runs by lib/workshop/instructor/runs.ts. The clock ticks every second so
 * that idle runs are flagged without new events.
 */
export function LiveRuns({ idleAfterSeconds, nextLockoutLift }: { idleAfterSeconds: number; nextLockoutLift?: string }) {
  const router = useRouter();
  const refresh = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // The lockout list above is drawn by the server: a failed or refused sign-in in the stream redraws it
  // (once per burst), and so does the moment the next lockout lifts by itself.
  useEffect(() => {
    if (!nextLockoutLift) return;
    const timer = setTimeout(() => router.refresh(), Math.max(0, Date.parse(nextLockoutLift) - Date.now()) + 1000);
    return () => clearTimeout(timer);
  }, [nextLockoutLift, router]);
  useEffect(() => () => clearTimeout(refresh.current), []);

  const [events, setEvents] = useState<InstructorEvent[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [connection, setConnection] = useState<Connection>("connecting");
  const [now, setNow] = useState(() => new Date());
  const [large, setLarge] = useState(false);
  const lastId = useRef<number | undefined>(undefined);
  const loadedOnce = useRef(false);

  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let delay = 1000;
    let closed = false;
    const connect = () => {
      source = new EventSource(lastId.current === undefined ? "/instructor/events" : `/instructor/events?after=${lastId.current}`);
      source.addEventListener("open", () => {
        setConnection("live");
        delay = 1000;
      });
      source.addEventListener("events", (message) => {
        const incoming = JSON.parse((message as MessageEvent<string>).data) as InstructorEvent[];
        if (incoming.length) lastId.current = incoming.at(-1)!.id;
        if (loadedOnce.current && incoming.some(isSignInTrouble)) {
          clearTimeout(refresh.current);
          refresh.current = setTimeout(() => router.refresh(), 1000);
        }
        loadedOnce.current = true;
        setEvents((known) => mergeEvents(known, incoming));
        setLoaded(true);
      });
      source.addEventListener("reset", () => setEvents([]));
      source.addEventListener("error", () => {
        // The browser retries by itself while the stream is CONNECTING; once CLOSED (a 401, a restart) we do.
        if (source?.readyState !== EventSource.CLOSED || closed) return setConnection("reconnecting");
        setConnection("reconnecting");
        retry = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30_000);
      });
    };
    connect();
    const tick = setInterval(() => setNow(new Date()), 1000);
    return () => {
      closed = true;
      source?.close();
      clearTimeout(retry);
      clearInterval(tick);
    };
  }, [router]);

  const all = useMemo(() => summarizeRuns(events, now, idleAfterSeconds), [events, now, idleAfterSeconds]);
  const groups = useMemo(() => groupByParticipant(all), [all]);
  const machine = useMemo(() => machineRuns(all), [all]);
  const runs = groups.reduce((n, g) => n + g.runs.length, 0);
  const stuck = groups.reduce((n, g) => n + g.runs.filter((r) => r.stuck).length, 0);
  const machineCount = machine.lab.length + machine["self-check"].length;

  return (
    <section aria-labelledby="runs-heading" className={`space-y-4 ${large ? "text-xl" : "text-base"}`}>
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h2 id="runs-heading" className="text-2xl font-semibold">
          Participants&apos; runs
        </h2>
        <div className="flex items-center gap-4">
          <p role="status" className="flex items-center gap-2">
            <span
              aria-hidden="true"
              className={`inline-block h-3 w-3 rounded-full ${connection === "live" ? "bg-green-700 motion-safe:animate-pulse" : "bg-amber-600"}`}
            />
            {connection === "live" ? "Live" : connection === "connecting" ? "Connecting…" : "Reconnecting…"}
          </p>
          <button
            type="button"
            aria-pressed={large}
            onClick={() => setLarge((v) => !v)}
            className="rounded-md border border-slate-500 bg-white px-3 py-1 font-semibold hover:bg-slate-100"
          >
            Large text
          </button>
        </div>
      </div>
      <p className="text-slate-700">
        {count(groups.length, "participant")}, {count(runs, "run")}, {stuck} stuck (last step failed, or idle for more than{" "}
        {idleAfterSeconds} s before the API answered). A participant is a client and the user who signed in with it. A refusal a participant
        asked for (a replay, a call without a token) is not stuck.
        {machineCount > 0 && ` The lab and the self-check made ${count(machineCount, "run")} more, listed apart below.`}
      </p>
      <p id="expire-hint" className="sr-only">
        Expires the run&apos;s unused code and its access tokens at once; its refresh token keeps working.
      </p>
      {loaded && groups.length === 0 && <p>No runs yet. They appear here as participants start the walkthrough.</p>}
      {groups.map((group) => {
        const label = participantLabel(group);
        const id = `participant-${group.key.replace(/[^\w-]/g, "_")}`;
        return (
          <section key={group.key} aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white p-4">
            <h3 id={id} className="text-xl font-semibold">
              {label}
            </h3>
            <ul className="mt-3 grid gap-3 lg:grid-cols-2">
              {group.runs.map((run) => (
                <li key={run.correlationId}>
                  <RunCard run={run} />
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      {machineCount > 0 && (
        <details className="rounded-lg border border-slate-200 bg-slate-50 p-4">
          <summary className="cursor-pointer font-semibold">
            Runs made by the lab and the self-check ({machineCount}): their refusals are the lesson, not a participant stuck
          </summary>
          {(["lab", "self-check"] as const).map(
            (origin) =>
              machine[origin].length > 0 && (
                <section key={origin} aria-labelledby={`machine-${origin}`} className="mt-3">
                  <h3 id={`machine-${origin}`} className="text-lg font-semibold">
                    {origin === "lab" ? "The lab's runs" : "The self-check's runs"}
                  </h3>
                  <ul className="mt-2 grid gap-3 lg:grid-cols-2">
                    {machine[origin].map((run) => (
                      <li key={run.correlationId}>
                        <RunCard run={run} />
                      </li>
                    ))}
                  </ul>
                </section>
              ),
          )}
        </details>
      )}
    </section>
  );
}

/** One run: its name, the step it reached, its last event and how it stands; "Expire now" for a participant's. */
function RunCard({ run }: { run: RunSummary }) {
  const participant = run.origin === "participant";
  return (
    <article
      aria-label={`Run ${runName(run.correlationId)}`}
      className={`rounded-md border-2 p-3 motion-safe:transition-colors ${run.stuck ? "border-red-700 bg-red-50" : run.status === "done" ? "border-green-700 bg-green-50" : "border-slate-300 bg-white"}`}
    >
      <p id={`run-${run.correlationId}`} className="font-mono text-sm">
        Run {runName(run.correlationId)}
      </p>
      <p className="font-semibold">
        Step reached: {run.stepReached} of {LAST_STEP}, {STEP_NAMES[run.stepReached] ?? ""}
      </p>
      <div aria-hidden="true" className="my-2 flex gap-1">
        {Array.from({ length: LAST_STEP }, (_, i) => (
          <span
            key={i}
            className={`h-2 flex-1 rounded ${i < run.stepReached ? (run.stuck ? "bg-red-700" : "bg-blue-700") : "bg-slate-200"}`}
          />
        ))}
      </div>
      <p>
        Last: {run.lastName} ({run.lastOutcome === "ok" ? "succeeded" : run.lastWanted ? "refused, as asked" : "failed"}) at{" "}
        {time(run.lastAt)}
      </p>
      <p className={run.stuck ? "font-semibold text-red-800" : "text-slate-700"}>{statusText(run)}</p>
      {participant && (
        <form method="post" action="/instructor/expire" className="mt-2">
          <input type="hidden" name="run" value={run.correlationId} />
          {run.clientId && <input type="hidden" name="client" value={run.clientId} />}
          {run.userId && <input type="hidden" name="user" value={run.userId} />}
          <button
            type="submit"
            aria-describedby={`run-${run.correlationId} expire-hint`}
            className="rounded-md border border-red-700 bg-white px-3 py-1 font-semibold text-red-800 hover:bg-red-100"
          >
            Expire now
          </button>
        </form>
      )}
    </article>
  );
}
