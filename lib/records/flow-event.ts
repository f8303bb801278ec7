import { Prisma, type FlowEvent, type PrismaClient } from "../generated/prisma/client";
import { writeRows } from "./hot-sql";

/**
 * The flow events (FlowEvent): each step of a run as one row (role, step 1-7, correlation id). They are
 * written by lib/events.ts, redacted and capped before they get here; this module only stores and reads them.
 */

export type FlowEventRow = Omit<FlowEvent, "id">;

/**
 * One multi-row INSERT, in SQL that SQLite and PostgreSQL both run (quoted identifiers, bound values),
 * run by hot-sql.ts. Not Prisma's createMany, which compiles every row's values on each call, at several
 * times the cost of the insert itself (npm run bench); the rows are exactly what createMany would write.
 */
export async function insertEvents(db: PrismaClient, rows: FlowEventRow[]): Promise<void> {
  const values = rows.map(
    (r) => Prisma.sql`(${r.at}, ${r.correlationId}, ${r.role}, ${r.step}, ${r.name}, ${r.outcome}, ${r.clientId}, ${r.userId}, ${r.data})`,
  );
  await writeRows(
    db,
    Prisma.sql`INSERT INTO "FlowEvent" ("at", "correlationId", "role", "step", "name", "outcome", "clientId", "userId", "data") VALUES ${Prisma.join(values)}`,
  );
}

/**
 * The events of one run after `afterId`, oldest first, at most `take`. With `clientId`, only that
 * client's part of the run: its own events and the anonymous ones (no client, no user).
 */
export function eventsOfRun(
  db: PrismaClient,
  correlationId: string,
  afterId: number,
  only: { clientId?: string },
  take: number,
): Promise<FlowEvent[]> {
  return db.flowEvent.findMany({
    where: {
      correlationId,
      id: { gt: afterId },
      ...(only.clientId ? { OR: [{ clientId: only.clientId }, { clientId: null, userId: null }] } : {}),
    },
    orderBy: { id: "asc" },
    take,
  });
}

type RunEventFilter = { correlationId: string; role: string; names: string[]; clientId?: string };

/** Whether the run has an event of one of these names with this outcome (of this client, if given). */
export async function runHasEvent(db: PrismaClient, f: RunEventFilter & { outcome: "ok" | "error" }): Promise<boolean> {
  const row = await db.flowEvent.findFirst({
    where: {
      correlationId: f.correlationId,
      role: f.role,
      name: { in: f.names },
      outcome: f.outcome,
      ...(f.clientId ? { clientId: f.clientId } : {}),
    },
    select: { id: true },
  });
  return row !== null;
}

/** The run's events of these names, oldest first, at most `take`: their names and data. */
export function runEventsNamed(db: PrismaClient, f: RunEventFilter, take: number): Promise<{ name: string; data: string }[]> {
  return db.flowEvent.findMany({
    where: { correlationId: f.correlationId, role: f.role, name: { in: f.names }, ...(f.clientId ? { clientId: f.clientId } : {}) },
    orderBy: { id: "asc" },
    take,
    select: { name: true, data: true },
  });
}

/** The newest `count` events of every run, oldest first. */
export async function newestEvents(db: PrismaClient, count: number): Promise<FlowEvent[]> {
  return (await db.flowEvent.findMany({ orderBy: { id: "desc" }, take: count })).reverse();
}

/** The events after `id`, oldest first, at most `take`. */
export function eventsAfter(db: PrismaClient, id: number, take: number): Promise<FlowEvent[]> {
  return db.flowEvent.findMany({ where: { id: { gt: id } }, orderBy: { id: "asc" }, take });
}

/** Whether any event up to this id is still stored (ids are never reused: AUTOINCREMENT, a sequence). */
export async function anyEventUpTo(db: PrismaClient, id: number): Promise<boolean> {
  return !!(await db.flowEvent.findFirst({ where: { id: { lte: id } }, select: { id: true } }));
}
