import { createHash } from "node:crypto";
import { Prisma, type PrismaClient } from "./generated/prisma/client";
import { writeRows } from "./hot-sql";

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
  "client_secret", "password", "code", "code_verifier", "refresh_token", "access_token", "id_token", "token",
  "authorization", "cookie", "set-cookie", "csrf", "session",
]);

/** Low-entropy secrets a person chooses: masked completely, since a prefix and length would narrow a guess. */
const FULLY_MASKED = new Set(["password"]);

/** Keeps a short prefix so a learner can match a value across steps, and hides the rest. */
export function mask(value: string): string {
  if (value.length <= 8) return "••••";
  return `${value.slice(0, 6)}…(${value.length} chars)`;
}

/** A deep copy with every secret-named field masked, including Basic and Bearer credentials. */
export function redact(value: unknown, key?: string): unknown {
  if (typeof value === "string") {
    if (key && FULLY_MASKED.has(key.toLowerCase())) return "••••";
    if (key && SECRET_NAMES.has(key.toLowerCase())) {
      const scheme = /^(Basic|Bearer) (.+)$/i.exec(value);
      return scheme ? `${scheme[1]} ${mask(scheme[2])}` : mask(value);
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, key));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
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
    Array.isArray(v) ? `(${v.length} items)` : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).map((k) => [k, shape((v as Record<string, unknown>)[k])])) : v === null ? null : `(${typeof v})`;
  return shape(body);
}

/** Masks secret query parameters of a URL (a code in an authorization response, say). */
export function redactUrl(href: string): string {
  try {
    const url = new URL(href);
    for (const [name, v] of [...url.searchParams]) if (SECRET_NAMES.has(name)) url.searchParams.set(name, mask(v));
    return url.href;
  } catch {
    return href;
  }
}

type FlowEventRow = {
  at: Date; correlationId: string; role: string; step: number; name: string; outcome: string;
  clientId: string | null; userId: string | null; data: string;
};

/** At most this many rows go into one INSERT. */
const MAX_BATCH = 200;

/**
 * Group commit for flow events. Every request records one to three events and must not answer before
 * they are stored (a client reads /api/flow-events right after the response), but one INSERT per event
 * costs more than the rest of an API call. So events wait in a per-database queue for the next
 * turn of the event loop, and each flush writes every queued event, of this request and of the others
 * served meanwhile, in one multi-row INSERT; each recordEvent resolves once its row is written.
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
        await insertEvents(this.db, batch.map((p) => p.row));
      } catch (error) {
        console.error(`[authcode-lab] could not record ${batch.length} flow event(s):`, error instanceof Error ? error.message : error);
      }
      for (const p of batch) p.written();
    }
    this.scheduled = false;
  }
}

/**
 * One multi-row INSERT, in SQL that SQLite and PostgreSQL both run (quoted identifiers, bound values),
 * run by lib/hot-sql.ts. Not Prisma's createMany, which compiles every row's values on each call, at
 * several times the cost of the insert itself (npm run bench); the rows are exactly what createMany
 * would write, `at` included.
 */
function insertEvents(db: PrismaClient, rows: FlowEventRow[]) {
  const values = rows.map((r) => Prisma.sql`(${r.at}, ${r.correlationId}, ${r.role}, ${r.step}, ${r.name}, ${r.outcome}, ${r.clientId}, ${r.userId}, ${r.data})`);
  return writeRows(db, Prisma.sql`INSERT INTO "FlowEvent" ("at", "correlationId", "role", "step", "name", "outcome", "clientId", "userId", "data") VALUES ${Prisma.join(values)}`);
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
    correlationId: event.correlationId,
    role: event.role,
    step: event.step,
    name: event.name,
    outcome: event.outcome,
    clientId: event.clientId ?? null,
    userId: event.userId ?? null,
    data: JSON.stringify(redact({ http: event.http, detail: event.detail })),
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
export async function listEvents(db: PrismaClient, correlationId: string, afterId = 0, only: { clientId?: string } = {}): Promise<FlowEventView[]> {
  const rows = await db.flowEvent.findMany({
    where: { correlationId, id: { gt: afterId }, ...(only.clientId ? { OR: [{ clientId: only.clientId }, { clientId: null, userId: null }] } : {}) },
    orderBy: { id: "asc" },
    take: 500,
  });
  return rows.map((row) => {
    const data = JSON.parse(row.data) as { http?: HttpExchange; detail?: Record<string, unknown> };
    return {
      id: row.id, at: row.at.toISOString(), correlationId: row.correlationId, role: row.role as Role, step: row.step,
      name: row.name, outcome: row.outcome as "ok" | "error", clientId: row.clientId, userId: row.userId, ...data,
    };
  });
}
