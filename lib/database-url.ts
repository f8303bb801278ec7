import path from "node:path";

/** The embedded default: a SQLite file under data/, relative to the working directory. */
export const DEFAULT_DATABASE_URL = "file:./data/authcode-lab.db";

/** The file path of a `file:` URL, resolved against the working directory (as the app and CLI both do). */
export function sqliteFilename(url: string): string {
  if (!url.startsWith("file:")) throw new Error(`DATABASE_URL must start with file: or postgresql:// (got ${JSON.stringify(url.slice(0, 20))})`);
  const file = url.slice("file:".length).split("?")[0];
  return file === ":memory:" ? file : path.resolve(file);
}
