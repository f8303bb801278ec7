/**
 * The hot paths' SQL (the hot statements of the record modules in lib/records/, and the events' insert),
 * written once as Prisma.sql and run by the fastest way each database has.
 *
 * PostgreSQL: through Prisma ($queryRaw, $transaction).
 *
 * SQLite: straight on better-sqlite3, with each statement prepared once. Prisma 6's JavaScript engine
 * costs tens of microseconds per statement even for SQL sent as is (its WebAssembly compiler, its
 * interpreter, and a driver adapter that prepares the statement again each time); a prepared statement
 * costs a few.
 * - Reads go through a read-only connection of their own. In WAL mode a reader never waits for the
 *   writer, so these synchronous calls never hold the event loop on a lock, and a new read sees every
 *   commit.
 * - Writes go through Prisma's own connection, the one writer of the process, so there is no second
 *   writer to wait for or to deadlock with. A write runs when no Prisma transaction is open on that
 *   connection (otherwise it would join it), and runs whole within one turn of the event loop, so
 *   nothing of Prisma's can come between.
 * - Group commit: the writes asked for during one turn of the event loop (by every request served in
 *   it) are committed together, in one BEGIN IMMEDIATE ... COMMIT on the next turn. Each write is still
 *   whole or not at all (a write of several statements runs inside a SAVEPOINT; one that fails is undone
 *   alone and only its caller gets the error) and each caller resumes only after the COMMIT, so what a
 *   response says is stored is stored. What the group saves is SQLite's work per commit: the WAL frames
 *   of the pages every write touches (the tables' and indexes' last pages, the code's page) are written
 *   once per group instead of once per write.
 * Values are bound as Prisma binds them (a Date as ISO 8601 text with "+00:00", a boolean as 0 or 1),
 * and DATETIME columns read back as Date, as Prisma reads them: rows written either way are the same.
 */
import Database from "better-sqlite3";
import type { Prisma, PrismaClient } from "../generated/prisma/client";

/** How long a write waits for Prisma's open transaction; lib/db.ts gives the adapter the same busy timeout. */
export const WRITE_WAIT_MS = 10_000;

type Statement = { statement: Database.Statement; dateColumns: string[] };

/** One caller's write: its statements, run as one transaction (or one savepoint of a group). */
type Write = { queries: Prisma.Sql[]; done: (rows: unknown[][]) => void; failed: (error: unknown) => void };

/** How one write of a group failed, while the others were stored. */
class Failed {
  constructor(readonly error: unknown) {}
}

class Connection {
  private readonly statements = new Map<string, Statement>();
  private runGroup?: (writes: Write[]) => (unknown[][] | Failed)[];
  private runSavepoint?: (queries: Prisma.Sql[]) => unknown[][];
  constructor(readonly handle: Database.Database) {}

  /**
   * BEGIN IMMEDIATE, every write, COMMIT; each write's rows, or how it failed. A write of several
   * statements runs in a SAVEPOINT (undone alone if one of them throws); a single statement is undone
   * alone by SQLite itself. An error that ends the whole transaction (SQLite may roll it back on an I/O
   * error or a full disk), or a failed COMMIT, is thrown: then no write of the group is stored.
   */
  group(writes: Write[]): (unknown[][] | Failed)[] {
    this.runSavepoint ??= this.handle.transaction((queries: Prisma.Sql[]) => queries.map((q) => this.rows(q)));
    this.runGroup ??= this.handle.transaction((ws: Write[]) =>
      ws.map(({ queries }) => {
        try {
          return queries.length === 1 ? [this.rows(queries[0])] : this.runSavepoint!(queries);
        } catch (error) {
          if (!this.handle.inTransaction) throw error;
          return new Failed(error);
        }
      }),
    ).immediate;
    return this.runGroup(writes);
  }

  prepare(sql: string): Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      const statement = this.handle.prepare(sql);
      // Prisma's adapter turns on safe integers for its connection; these statements want numbers.
      statement.safeIntegers(false);
      const dateColumns = statement.reader
        ? statement
            .columns()
            .filter((c) => c.type?.toUpperCase() === "DATETIME")
            .map((c) => c.name)
        : [];
      this.statements.set(sql, (prepared = { statement, dateColumns }));
    }
    return prepared;
  }

  rows<T>(query: Prisma.Sql): T[] {
    const { statement, dateColumns } = this.prepare(query.sql);
    const values = query.values.map(bindable);
    if (!statement.reader) {
      statement.run(...values);
      return [];
    }
    const rows = statement.all(...values) as Record<string, unknown>[];
    if (dateColumns.length)
      for (const row of rows) for (const c of dateColumns) if (typeof row[c] === "string") row[c] = new Date(row[c] as string);
    return rows as T[];
  }
}

/** A value as Prisma's SQLite adapter binds it. */
function bindable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

type Direct = { reader: Connection; writes: WriteQueue };
/**
 * On globalThis, as the Prisma client is (lib/db.ts): a route's server bundle may hold its own copy of
 * this module, and every copy must find the connections attached to the one client.
 */
const shared = globalThis as unknown as {
  authcodeLabHotSql?: { direct: WeakMap<object, Direct>; writers: WeakMap<Database.Database, Connection> };
};
const { direct, writers } = (shared.authcodeLabHotSql ??= { direct: new WeakMap(), writers: new WeakMap() });

/**
 * Attaches the direct connections to `db` (the Prisma client of a SQLite file): a read-only one opened
 * here, and Prisma's own connection, given as a function since Prisma opens it on its first query.
 */
export function attachSqliteDirect(db: object, filename: string, prismaConnection: () => Database.Database): void {
  direct.set(db, {
    reader: new Connection(new Database(filename, { readonly: true, fileMustExist: true })),
    writes: new WriteQueue(prismaConnection),
  });
}

/** Closes the read-only connection of `db`, if it has one (Prisma's $disconnect closes the other). */
export function detachSqliteDirect(db: object): void {
  direct.get(db)?.reader.handle.close();
  direct.delete(db);
}

/** Whether `db` runs its hot SQL directly on SQLite. */
export const runsDirect = (db: object) => direct.has(db);

/** A read: on SQLite from the read-only connection, which sees every commit. */
export async function readRows<T>(db: PrismaClient, query: Prisma.Sql): Promise<T[]> {
  const d = direct.get(db);
  return d ? d.reader.rows<T>(query) : db.$queryRaw<T[]>(query);
}

/** A write (with `RETURNING`, its rows; else none). */
export async function writeRows<T>(db: PrismaClient, query: Prisma.Sql): Promise<T[]> {
  const [rows] = await writeTransaction<[T[]]>(db, [query]);
  return rows;
}

/**
 * Several writes as one transaction, all or nothing; the rows each returned, in order. On SQLite it
 * joins the group committed on the next turn of the event loop, and resolves after that COMMIT. Not to
 * be awaited inside a Prisma interactive transaction ($transaction(async (tx) => ...)) on SQLite: it
 * would wait for that transaction to end, until WRITE_WAIT_MS.
 */
export async function writeTransaction<R extends unknown[][]>(db: PrismaClient, queries: Prisma.Sql[]): Promise<R> {
  const d = direct.get(db);
  if (!d)
    return (queries.length === 1 ? [await db.$queryRaw(queries[0])] : await db.$transaction(queries.map((q) => db.$queryRaw(q)))) as R;
  return new Promise<R>((done, failed) => d.writes.add({ queries, done: done as (rows: unknown[][]) => void, failed }));
}

/** The writes of one SQLite database waiting for the next group commit, and how many groups and writes were committed. */
class WriteQueue {
  private queue: Write[] = [];
  private flushing = false;
  groups = 0;
  writes = 0;

  constructor(private readonly writer: () => Database.Database) {}

  add(write: Write) {
    this.queue.push(write);
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => void this.flush());
    }
  }

  /** One group at a time, in the order asked for; the writes that arrive while Prisma holds the connection join the group that waits. */
  private async flush() {
    const deadline = Date.now() + WRITE_WAIT_MS;
    while (this.queue.length) {
      let group: Write[] = [];
      try {
        const handle = this.writer();
        if (handle.inTransaction) {
          // Prisma's transactions are short (a few statements, none on a hot path): wait a millisecond at
          // a time, as long as the adapter waits for a lock held by another process.
          if (Date.now() > deadline) throw new Error(`A Prisma transaction held the SQLite connection for over ${WRITE_WAIT_MS / 1000} s.`);
          await new Promise((resolve) => setTimeout(resolve, 1));
          continue;
        }
        // Checked and used in one synchronous stretch: Prisma's BEGIN cannot come between.
        group = this.queue.splice(0);
        let connection = writers.get(handle);
        if (!connection) writers.set(handle, (connection = new Connection(handle)));
        const results = connection.group(group);
        this.groups++;
        this.writes += group.length;
        group.forEach((w, i) => {
          const result = results[i];
          if (result instanceof Failed) w.failed(result.error);
          else w.done(result);
        });
      } catch (error) {
        // The group's writes, or, when the connection could not be had, every write waiting: none is left hanging.
        for (const w of group.length ? group : this.queue.splice(0)) w.failed(error);
      }
    }
    this.flushing = false;
  }
}

/** SQLite: how many group commits this process made on `db`, and how many writes they held (the bench reports writes per commit). */
export function groupCommits(db: object): { groups: number; writes: number } | undefined {
  const d = direct.get(db);
  return d && { groups: d.writes.groups, writes: d.writes.writes };
}
