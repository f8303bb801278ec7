import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import path from "node:path";
import { e2ePostgresUrl } from "../support/database";
import { useServer } from "../support/server";

/**
 * The server purges dead rows by itself (instrumentation-node.ts starts lib/prune-schedule.ts); what is
 * dead is lib/prune.test.ts's business. Here: the built server runs the purge at all.
 */

test.skip(!!e2ePostgresUrl(), "writes the SQLite file directly");

const server = useServer({ PRUNE_INTERVAL_SECONDS: "1" });

test("a running server deletes a dead row within seconds, and keeps a live one", async () => {
  const file = path.resolve(__dirname, "../..", server().databaseUrl.slice("file:".length));
  // As Prisma stores a DateTime on SQLite (lib/records/hot-sql.ts).
  const stored = (ms: number) => new Date(Date.now() + ms).toISOString().replace("Z", "+00:00");
  const db = new Database(file);
  try {
    db.prepare(`INSERT INTO "LoginAttempt" ("key", "at") VALUES (?, ?), (?, ?)`).run(
      "user:dead",
      stored(-24 * 3_600_000),
      "user:live",
      stored(0),
    );
    const keys = () =>
      (
        db.prepare(`SELECT "key" FROM "LoginAttempt" WHERE "key" IN ('user:dead', 'user:live') ORDER BY "key"`).all() as { key: string }[]
      ).map((r) => r.key);
    await expect.poll(keys, { timeout: 10_000 }).toEqual(["user:live"]);
  } finally {
    db.close();
  }
});
