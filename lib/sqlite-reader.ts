/**
 * The hot reads on SQLite, through a second connection: read-only better-sqlite3 with its statements
 * prepared once. Prisma's JavaScript engine costs tens of microseconds per statement even for SQL sent
 * as is (lib/authorization-server/store.ts); a prepared statement costs a few. Only reads go here: in
 * WAL mode a reader never waits for the writer, so these synchronous calls never hold the event loop
 * on a lock, and a new read sees every write Prisma has committed. PostgreSQL has no reader: its
 * callers use Prisma.
 */
import Database from "better-sqlite3";

export type SqliteReader = {
  get<T>(sql: string, ...params: unknown[]): T | undefined;
  all<T>(sql: string, ...params: unknown[]): T[];
  close(): void;
};

const readers = new WeakMap<object, SqliteReader>();

/** Opens the reader of the SQLite file behind `db` (the Prisma client), for `sqliteReader(db)` to find. */
export function attachSqliteReader(db: object, filename: string): SqliteReader {
  const connection = new Database(filename, { readonly: true, fileMustExist: true });
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = connection.prepare(sql)));
    return statement;
  };
  const reader: SqliteReader = {
    get: <T>(sql: string, ...params: unknown[]) => prepared(sql).get(...params) as T | undefined,
    all: <T>(sql: string, ...params: unknown[]) => prepared(sql).all(...params) as T[],
    close: () => connection.close(),
  };
  readers.set(db, reader);
  return reader;
}

/** The reader of `db`, if it is a SQLite database opened by lib/db.ts. */
export const sqliteReader = (db: object): SqliteReader | undefined => readers.get(db);

/** Prisma stores a DateTime on SQLite as ISO 8601 text; Prisma's own reads turn it back into a Date. */
export const sqliteDate = (value: string) => new Date(value);
export const sqliteDateOrNull = (value: string | null) => (value === null ? null : new Date(value));
