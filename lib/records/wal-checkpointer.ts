import { Worker } from "node:worker_threads";

/**
 * SQLite's WAL checkpoints (https://sqlite.org/wal.html#ckpt) off the event loop. By default the
 * connection that commits copies the WAL back into the database file whenever the WAL passes 1,000
 * pages, synchronously, fsyncs included: the request (or the purge's batch) that happens to commit then
 * holds every other request for milliseconds. Here a worker thread, on a connection of its own, runs a
 * PASSIVE checkpoint every `intervalMs` (it never takes the write lock and never waits; readers may spin
 * for microseconds on its brief locks), and the writer's own automatic checkpoint moves to
 * BACKSTOP_PAGES: under load the worker never catches up with the last frames, so the writer's
 * checkpoint still runs now and then, copies the few pages the worker has not, and lets the next commit
 * start the WAL over (the WAL stays bounded; its file keeps its largest size, about 40 MiB). Never
 * RESTART or TRUNCATE here: those take the write lock, and the writer would wait on the event loop.
 */

/** The writer's wal_autocheckpoint, in pages, once a worker checkpoints (SQLite's default: 1000). */
export const BACKSTOP_PAGES = 10_000;

// CommonJS, evaluated in the worker; better-sqlite3 resolves from the working directory (the project's,
// or the standalone server's own folder, which it changes to).
const SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("better-sqlite3");
const db = new Database(workerData.filename, { fileMustExist: true, timeout: 1000 });
db.pragma("synchronous = NORMAL");
const timer = setInterval(() => {
  // Busy: another checkpoint runs (the writer's backstop); any other error ends the worker (onFailure).
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch (error) { if (error.code !== "SQLITE_BUSY") throw error; }
}, workerData.intervalMs);
parentPort.once("message", () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export type WalCheckpointer = { stop(): Promise<void> };

/**
 * Starts the worker on the SQLite file `filename`. Should it fail (say, better-sqlite3 cannot be found
 * from the working directory), `onFailure` runs, for the writer to checkpoint as it did before.
 */
export function startWalCheckpointer(filename: string, intervalMs = 200, onFailure: () => void = () => {}): WalCheckpointer {
  const worker = new Worker(SOURCE, { eval: true, workerData: { filename, intervalMs } });
  worker.unref();
  worker.on("error", (error: unknown) => {
    console.error(
      "[authcode-lab] the WAL checkpointer stopped; the writer checkpoints again:",
      typeof error === "object" && error && "message" in error ? String(error.message) : String(error),
    );
    onFailure();
  });
  return {
    async stop() {
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage("stop");
      await exited;
    },
  };
}
