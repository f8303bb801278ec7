import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startWalCheckpointer } from "./wal-checkpointer";

let dir: string;
let file: string;
let writer: Database.Database;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "authcode-lab-wal-"));
  file = path.join(dir, "wal.db");
  writer = new Database(file);
  writer.pragma("journal_mode = WAL");
  // Only the worker may copy the WAL back: the writer never checkpoints by itself here.
  writer.pragma("wal_autocheckpoint = 0");
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)");
});
afterEach(() => {
  writer.close();
  rmSync(dir, { recursive: true, force: true });
});

/** About 250 pages of rows, committed to the WAL. */
const write = () => {
  const insert = writer.prepare("INSERT INTO t (body) VALUES (?)");
  writer.transaction(() => {
    for (let i = 0; i < 250; i++) insert.run("x".repeat(3000));
  })();
};
const fileBytes = () => statSync(file).size;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the WAL checkpointer (a worker thread)", () => {
  it("copies committed pages from the WAL into the database file, without the writer", async () => {
    write();
    const before = fileBytes();
    await sleep(300);
    // Nobody checkpointed yet: the rows are in the WAL only.
    expect(fileBytes()).toBe(before);

    const checkpointer = startWalCheckpointer(file, 20);
    try {
      for (let i = 0; i < 100 && fileBytes() < before + 250 * 3000; i++) await sleep(20);
      expect(fileBytes()).toBeGreaterThan(before + 250 * 3000);
    } finally {
      await checkpointer.stop();
    }
  });

  it("stops when told, and closes its connection", async () => {
    const checkpointer = startWalCheckpointer(file, 20);
    await checkpointer.stop();
    write();
    const before = fileBytes();
    await sleep(200);
    expect(fileBytes()).toBe(before);
  });

  it("says when it cannot run, so that the writer checkpoints again", async () => {
    const failed = new Promise<void>((resolve) => startWalCheckpointer(path.join(dir, "missing.db"), 20, resolve));
    await expect(failed).resolves.toBeUndefined();
  });
});
