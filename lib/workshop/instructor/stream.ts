import type { FlowEvent, PrismaClient } from "../../generated/prisma/client";
import { clientNames } from "../../records/client";
import { anyEventUpTo, eventsAfter, newestEvents } from "../../records/flow-event";
import { usernames } from "../../records/user";
import { isRunOrigin } from "../../run-origin";
import type { InstructorEvent } from "./runs";

/**
 * GET /instructor/events: every participant's flow events as server-sent events (HTML Living Standard
 * §9.2). The stream polls the FlowEvent table by increasing id, one query on its primary key per second,
 * so it sees the events of every instance sharing the database; it stops when the browser goes away.
 * Each message is a batch of events (`event: events`), its `id` the last event's, so a reconnecting
 * EventSource resumes with Last-Event-ID; `event: reset` says a workshop reset erased the events sent so
 * far. Events were redacted before they were stored; the stream sends only who, which step, and the outcome.
 */

export type StreamOptions = {
  /** Send only events after this id; without it, the newest `backlog` events first. */
  after?: number;
  signal: AbortSignal;
  pollMs?: number;
  backlog?: number;
  /** Checked every `recheckMs`, with whether a reset erased the events: the stream ends when the instructor's session has. */
  stillAuthorized?: () => Promise<boolean>;
  recheckMs?: number;
  /** A comment line every so often keeps proxies from closing a quiet stream. */
  heartbeatMs?: number;
};

const BATCH = 500;
/** How many of the newest events the view loads when it opens (the purge keeps them, lib/records/prune.ts). */
export const INSTRUCTOR_BACKLOG = 2000;

/** The events after `after`, oldest first, with user and client names looked up once per id. */
export class EventReader {
  private users = new Map<string, string | null>();
  private clients = new Map<string, string | null>();
  constructor(private readonly db: PrismaClient) {}

  async newest(count: number): Promise<InstructorEvent[]> {
    return this.named(await newestEvents(this.db, count));
  }

  /** Whether any event up to this id is still stored (ids are never reused: AUTOINCREMENT, a sequence). */
  async anyUpTo(id: number): Promise<boolean> {
    return anyEventUpTo(this.db, id);
  }

  async after(id: number): Promise<InstructorEvent[]> {
    return this.named(await eventsAfter(this.db, id, BATCH));
  }

  private async named(rows: Row[]): Promise<InstructorEvent[]> {
    const userIds = [...new Set(rows.map((r) => r.userId).filter((id): id is string => !!id && !this.users.has(id)))];
    const clientIds = [...new Set(rows.map((r) => r.clientId).filter((id): id is string => !!id && !this.clients.has(id)))];
    if (userIds.length) {
      const users = await usernames(this.db, userIds);
      for (const id of userIds) this.users.set(id, users.find((u) => u.id === id)?.username ?? null);
    }
    if (clientIds.length) {
      const clients = await clientNames(this.db, clientIds);
      for (const id of clientIds) this.clients.set(id, clients.find((c) => c.id === id)?.name ?? null);
    }
    return rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      correlationId: r.correlationId,
      role: r.role,
      step: r.step,
      name: r.name,
      outcome: r.outcome === "error" ? "error" : "ok",
      clientId: r.clientId,
      clientName: r.clientId ? (this.clients.get(r.clientId) ?? null) : null,
      userId: r.userId,
      username: r.userId ? (this.users.get(r.userId) ?? null) : null,
      ...marks(r),
    }));
  }
}

/**
 * What an event says of its run: made by the lab or the self-check (the authorization server's step-1
 * event carries the origin its request named, lib/run-origin.ts), or a refusal the client asked for (a
 * client's own "teach by failing" event). Only these two flags leave the stored detail; no other
 * event can set them.
 */
function marks(row: Row): Pick<InstructorEvent, "origin" | "wanted"> {
  const startsRun = row.role === "authorization-server" && row.step === 1;
  if (row.role !== "client" && !startsRun) return {};
  try {
    const detail = (JSON.parse(row.data) as { detail?: Record<string, unknown> }).detail;
    if (startsRun) return isRunOrigin(detail?.origin) ? { origin: detail.origin } : {};
    return detail?.wanted === true ? { wanted: true } : {};
  } catch {
    return {};
  }
}

type Row = FlowEvent;

/** One server-sent event: a batch of events, named by the last one's id. */
export function sseMessage(events: InstructorEvent[]): string {
  return `id: ${events.at(-1)!.id}\nevent: events\ndata: ${JSON.stringify(events)}\n\n`;
}

/** Resolves after `ms`, or at once when the signal aborts. */
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

/** The body of the event stream. */
export function instructorEventStream(db: PrismaClient, options: StreamOptions): ReadableStream<Uint8Array> {
  const { signal, pollMs = 1000, backlog = INSTRUCTOR_BACKLOG, recheckMs = 15_000, heartbeatMs = 15_000 } = options;
  const reader = new EventReader(db);
  const encoder = new TextEncoder();
  const stop = new AbortController();
  const stopped = AbortSignal.any([signal, stop.signal]);

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        if (!stopped.aborted) controller.enqueue(encoder.encode(text));
      };
      void (async () => {
        let last = options.after ?? 0;
        let lastCheck = Date.now();
        let lastSent = Date.now();
        let erasedUpTo = 0;
        try {
          send(`retry: 2000\n\n`);
          if (options.after === undefined) {
            const events = await reader.newest(backlog);
            // Always one message first, so the page knows the backlog has arrived (even when empty).
            send(events.length ? sseMessage(events) : `event: events\ndata: []\n\n`);
            if (events.length) last = events.at(-1)!.id;
          }
          while (!stopped.aborted) {
            await pause(pollMs, stopped);
            if (stopped.aborted) break;
            if (Date.now() - lastCheck >= recheckMs) {
              lastCheck = Date.now();
              if (options.stillAuthorized && !(await options.stillAuthorized())) break;
              // A workshop reset (from this or another tab or instance) erased what this page shows.
              if (last > 0 && last !== erasedUpTo && !(await reader.anyUpTo(last))) {
                send(`event: reset\ndata: {}\n\n`);
                erasedUpTo = last;
              }
            }
            const events = await reader.after(last);
            if (events.length) {
              send(sseMessage(events));
              last = events.at(-1)!.id;
              lastSent = Date.now();
            } else if (Date.now() - lastSent >= heartbeatMs) {
              send(`: keep-alive\n\n`);
              lastSent = Date.now();
            }
          }
        } catch (error) {
          console.error("[authcode-lab] instructor event stream:", error instanceof Error ? error.message : error);
        }
        stop.abort();
        try {
          controller.close();
        } catch {
          /* already closed or cancelled */
        }
      })();
    },
    cancel() {
      stop.abort();
    },
  });
}
