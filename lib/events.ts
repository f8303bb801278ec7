import { createHash } from "node:crypto";
import type { PrismaClient } from "./generated/prisma/client";
import { eventsOfRun, insertEvents, type FlowEventRow } from "./records/flow-event";

/** The roles of DESIGN.md's table, as recorded on each event. */
export type Role = "browser" | "client" | "authorization-server" | "resource-server";

export type HttpExchange = {
  request?: { method: string; url: string; headers?: Record<string, string>; body?: Record<string, string> };
  response?: { status: number; headers?: Record<string, string>; body?: unknown };
};

export type FlowEventInput = {
  correlationId: string;
  role: Role;
  /** 1-7, the step of the seed's flow this event belongs to. */
  step: number;
  name: string;
  outcome: "ok" | "error";
  clientId?: string | null;
  userId?: string | null;
  http?: HttpExchange;
  detail?: Record<string, unknown>;
};

/**
 * The id that ties one run of the flow together across the three roles. It is derived from the run's
 * PKCE code_challenge (unique per run, public, and sent by every client), so the client that made the
 * challenge can find the authorization server's and the resource server's events of its run without
 * anything added to the protocol. It names a run; it does not open it: reading a run takes a proof
 * (lib/authorization-server/run-access.ts).
 */
export function correlationIdFor(codeChallenge: string): string {
  return createHash("sha256").update(codeChallenge).digest("base64url").slice(0, 16);
}

/** Names whose values are secrets: masked before anything is stored (DESIGN.md, "Flow events"). */
const SECRET_NAMES = new Set([
  "client_secret",
  "password",
  "code",
  "code_verifier",
  "request_uri",
  "refresh_token",
  "access_token",
  "id_token",
  "token",
  "authorization",
  // RFC 9449: a DPoP proof is not a secret, but a signed one-time credential: never kept whole.
  "dpop",
  "cookie",
  "set-cookie",
  "csrf",
  "session",
]);

/** Low-entropy secrets a person chooses: masked completely, since a prefix and length would narrow a guess. */
const FULLY_MASKED = new Set(["password"]);

/** A value mask() made: masking it again would hide its length, so it is kept as it is. */
const MASKED = /^(?:••••|[^…]{0,6}…\(\d+ chars\))$/;

/** Keeps a short prefix so a learner can match a value across steps, and hides the rest. */
export function mask(value: string): string {
  if (MASKED.test(value)) return value;
  if (value.length <= 8) return "••••";
  return `${value.slice(0, 6)}…(${value.length} chars)`;
}

/** Fields that hold a URL, whose query may carry a secret a client put there by mistake. */
const URL_NAMES = new Set(["url", "location", "referer"]);

/** A deep copy with every secret-named field masked, including Basic, Bearer and DPoP credentials and secrets in URLs. */
export function redact(value: unknown, key?: string): unknown {
  if (typeof value === "string") {
    if (!key) return value;
    const name = key.toLowerCase();
    if (FULLY_MASKED.has(name)) return "••••";
    if (SECRET_NAMES.has(name)) {
      const scheme = /^(Basic|Bearer|DPoP) (.+)$/i.exec(value);
      return scheme ? `${scheme[1]} ${mask(scheme[2])}` : mask(value);
    }
    if (URL_NAMES.has(name)) return redactUrl(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, key));
  if (value && typeof value === "object") {
    // A loop, not Object.fromEntries(Object.entries(...)): every event goes through here. Each field is
    // defined, not assigned, so that a field named __proto__ (a client's form) stays a field.
    const copy: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      const v = redact((value as Record<string, unknown>)[k], k);
      if (k === "__proto__") Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
      else copy[k] = v;
    }
    return copy;
  }
  return value;
}

/**
 * What a response body looked like, without the user's data in it: error bodies (RFC 6749 §5.2) stay
 * as they are; anything else becomes its shape (`"(string)"`, `"(3 items)"`), because events are
 * read by the run's client, and by the instructor.
 */
export function bodyShape(body: unknown): unknown {
  if (body && typeof body === "object" && !Array.isArray(body) && "error" in body) return body;
  const shape = (v: unknown): unknown =>
    Array.isArray(v)
      ? `(${v.length} items)`
      : v && typeof v === "object"
        ? Object.fromEntries(Object.keys(v).map((k) => [k, shape((v as Record<string, unknown>)[k])]))
        : v === null
          ? null
          : `(${typeof v})`;
  return shape(body);
}

/**
 * Masks secret query parameters of a URL: a code in an authorization response, and a client_secret,
 * code_verifier, password or token that a client wrongly put in an authorization request (its URL is
 * stored with the request's event). Parameter names are matched case-insensitively.
 */
export function redactUrl(href: string): string {
  try {
    const url = new URL(href);
    for (const [name, v] of [...url.searchParams]) {
      const lower = name.toLowerCase();
      if (FULLY_MASKED.has(lower)) url.searchParams.set(name, "••••");
      else if (SECRET_NAMES.has(lower)) url.searchParams.set(name, mask(v));
    }
    return url.href;
  } catch {
    return href;
  }
}

/** The most any stored event field may hold, in UTF-8 bytes: one request must not store kilobytes of what it sent. */
export const EVENT_FIELD_CAP = 2048;

/** Cuts text to at most `max` UTF-8 bytes, the cut shown by a marker that says how long it was. */
export function capText(text: string, max: number): string {
  const bytes = Buffer.byteLength(text);
  if (bytes <= max) return text;
  const marker = `…[truncated: ${bytes} bytes]`;
  let kept = text.slice(0, Math.max(0, max - Buffer.byteLength(marker)));
  while (Buffer.byteLength(kept) + Buffer.byteLength(marker) > max) kept = kept.slice(0, -1);
  // Never end on half a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  return kept + marker;
}

const capLeaves = (value: unknown, max: number): unknown =>
  typeof value === "string"
    ? capText(value, max)
    : Array.isArray(value)
      ? value.map((v) => capLeaves(v, max))
      : value && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [capText(k, max), capLeaves(v, max)]))
        : value;

/**
 * An event's data as stored: its JSON within EVENT_FIELD_CAP. Long strings are cut first (to 1 KB, then
 * shorter), each with its marker, so the rest stays readable; data that is still too large (too many
 * fields) is replaced by a marker alone.
 */
export function capData(data: unknown): string {
  let json = JSON.stringify(data) ?? "{}";
  for (const leaf of [1024, 256, 64]) {
    if (Buffer.byteLength(json) <= EVENT_FIELD_CAP) return json;
    json = JSON.stringify(capLeaves(data, leaf));
  }
  if (Buffer.byteLength(json) <= EVENT_FIELD_CAP) return json;
  return JSON.stringify({ truncated: `[event data of ${Buffer.byteLength(JSON.stringify(data))} bytes truncated]` });
}

/** At most this many rows go into one INSERT. */
const MAX_BATCH = 200;

/**
 * Group commit for flow events. Every request records one to three events and must not answer before
 * they are stored (a client reads /api/flow-events right after the response), but one INSERT per event
 * costs more than the rest of an API call. So events wait in a per-database queue for the next
 * turn of the event loop, and each flush writes every queued event, of this request and of the others
 * served meanwhile, in one multi-row INSERT; each recordEvent resolves once its row is written (on
 * SQLite that INSERT is committed with the other writes of its turn: lib/records/hot-sql.ts).
 * Flushes run one at a time, in order, so events are stored in the order they were recorded.
 * Nothing is kept in memory past the response, so several instances stay consistent.
 */
class EventWriter {
  private queue: { row: FlowEventRow; written: () => void }[] = [];
  private scheduled = false;

  constructor(private readonly db: PrismaClient) {}

  write(row: FlowEventRow): Promise<void> {
    return new Promise((written) => {
      this.queue.push({ row, written });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush() {
    while (this.queue.length) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await insertEvents(
          this.db,
          batch.map((p) => p.row),
        );
      } catch (error) {
        console.error(`[authcode-lab] could not record ${batch.length} flow event(s):`, error instanceof Error ? error.message : error);
      }
      for (const p of batch) p.written();
    }
    this.scheduled = false;
  }
}

const writers = new WeakMap<PrismaClient, EventWriter>();

/**
 * Records one flow event; resolves once it is stored (a failure to record never fails the flow itself).
 * Events of one database are stored in the order they were recorded, so a request that records several
 * need only await the last one: when it is stored, so are the earlier ones.
 */
export function recordEvent(db: PrismaClient, event: FlowEventInput): Promise<void> {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new EventWriter(db)));
  return writer.write({
    at: new Date(),
    // Every field within EVENT_FIELD_CAP, here, where every event is written.
    correlationId: capText(event.correlationId, EVENT_FIELD_CAP),
    role: event.role,
    step: event.step,
    name: capText(event.name, EVENT_FIELD_CAP),
    outcome: event.outcome,
    clientId: event.clientId == null ? null : capText(event.clientId, EVENT_FIELD_CAP),
    userId: event.userId == null ? null : capText(event.userId, EVENT_FIELD_CAP),
    data: capData(redact({ http: event.http, detail: event.detail })),
  });
}

export type FlowEventView = {
  id: number;
  at: string;
  correlationId: string;
  role: Role;
  step: number;
  name: string;
  outcome: "ok" | "error";
  clientId: string | null;
  userId: string | null;
  http?: HttpExchange;
  detail?: Record<string, unknown>;
};

/**
 * The events of one run, oldest first (they were redacted before they were stored). With `clientId`,
 * only that client's part of the run: its own events and the anonymous ones (no client, no user), never
 * another client's that reused the run's challenge.
 */
export async function listEvents(
  db: PrismaClient,
  correlationId: string,
  afterId = 0,
  only: { clientId?: string } = {},
): Promise<FlowEventView[]> {
  const rows = await eventsOfRun(db, correlationId, afterId, only, 500);
  return rows.map((row) => {
    const data = JSON.parse(row.data) as { http?: HttpExchange; detail?: Record<string, unknown> };
    return {
      id: row.id,
      at: row.at.toISOString(),
      correlationId: row.correlationId,
      role: row.role as Role,
      step: row.step,
      name: row.name,
      outcome: row.outcome as "ok" | "error",
      clientId: row.clientId,
      userId: row.userId,
      ...data,
    };
  });
}
