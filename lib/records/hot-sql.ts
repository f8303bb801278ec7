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
 *   connection (otherwise it would join it), and runs whole within one turn of the event loop (several
 *   statements in one BEGIN IMMEDIATE ... COMMIT), so nothing of Prisma's can come between.
 * Values are bound as Prisma binds them (a Date as ISO 8601 text with "+00:00", a boolean as 0 or 1),
 * and DATETIME columns read back as Date, as Prisma reads them: rows written either way are the same.
 */
import Database from "better-sqlite3";
import type { Prisma, PrismaClient } from "../generated/prisma/client";

/** How long a write waits for Prisma's open transaction; lib/db.ts gives the adapter the same busy timeout. */
export const WRITE_WAIT_MS = 10_000;

type Statement = { statement: Database.Statement; dateColumns: string[] };

class Connection {
  private readonly statements = new Map<string, Statement>();
  private runAll?: (queries: Prisma.Sql[]) => unknown[][];
  constructor(readonly handle: Database.Database) {}

  /** BEGIN IMMEDIATE, the statements, COMMIT (ROLLBACK if one throws); the function is made once. */
  transaction(queries: Prisma.Sql[]): unknown[][] {
    this.runAll ??= this.handle.transaction((qs: Prisma.Sql[]) => qs.map((q) => this.rows(q))).immediate;
    return this.runAll(queries);
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

type Direct = { reader: Connection; writer: () => Database.Database };
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
  direct.set(db, { reader: new Connection(new Database(filename, { readonly: true, fileMustExist: true })), writer: prismaConnection });
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
 * Several writes as one transaction, all or nothing; the rows each returned, in order. Not to be
 * awaited inside a Prisma interactive transaction ($transaction(async (tx) => ...)) on SQLite: it would
 * wait for that transaction to end, until WRITE_WAIT_MS.
 */
export async function writeTransaction<R extends unknown[][]>(db: PrismaClient, queries: Prisma.Sql[]): Promise<R> {
  const d = direct.get(db);
  if (!d)
    return (queries.length === 1 ? [await db.$queryRaw(queries[0])] : await db.$transaction(queries.map((q) => db.$queryRaw(q)))) as R;
  // Checked and used in one synchronous stretch: Prisma's BEGIN cannot come between. Prisma's
  // transactions are short (a few statements, none on a hot path): wait a millisecond at a time, as
  // long as the adapter waits for a lock held by another process.
  const deadline = Date.now() + WRITE_WAIT_MS;
  for (;;) {
    const handle = d.writer();
    if (!handle.inTransaction) {
      let writer = writers.get(handle);
      if (!writer) writers.set(handle, (writer = new Connection(handle)));
      return (queries.length === 1 ? [writer.rows(queries[0])] : writer.transaction(queries)) as R;
    }
    if (Date.now() > deadline) throw new Error(`A Prisma transaction held the SQLite connection for over ${WRITE_WAIT_MS / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
