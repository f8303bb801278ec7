#!/usr/bin/env node
// Serves the built app on a fresh database, then runs `next start`. Used by the tests (each server its
// own database) and handy for a clean demo.
// - SQLite (`file:`): deletes DATABASE_URL's file, migrates, seeds.
// - PostgreSQL (`postgresql://`): drops and creates DATABASE_URL's database (connecting to the same
//   server's `postgres` database to do so), migrates, seeds; and drops it again when the server is
//   stopped by a signal.
// A fresh database is its own: stopped by a signal, the server removes it (the SQLite file, or the
// PostgreSQL database).
// SERVE_FRESH_SHARED_DATABASE=1 joins a database another server is using instead (a second instance):
// nothing is deleted; migrate and seed are idempotent.
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { onPostgresServer as onServer } from "./postgres-server.mjs";

const port = process.env.PORT ?? "3000";
process.env.APP_URL ??= `http://localhost:${port}`;
process.env.DATABASE_URL ??= `file:./data/fresh-${port}.db`;
process.env.NEXT_TELEMETRY_DISABLED = "1";
const url = process.env.DATABASE_URL;
const shared = process.env.SERVE_FRESH_SHARED_DATABASE === "1";
const postgres = /^postgres(ql)?:\/\//.test(url);

const databaseName = (databaseUrl) => decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
const quoted = (name) => `"${name.replaceAll('"', '""')}"`;
// WITH (FORCE) (PostgreSQL 13+) ends the sessions still connected, such as a killed server's.
const dropDatabase = () => onServer(url, `DROP DATABASE IF EXISTS ${quoted(databaseName(url))} WITH (FORCE)`);

const removeSqliteFile = () => {
  const file = path.resolve(url.slice("file:".length).split("?")[0]);
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
};

if (!shared) {
  if (postgres) {
    await dropDatabase();
    await onServer(url, `CREATE DATABASE ${quoted(databaseName(url))}`);
  } else {
    removeSqliteFile();
  }
}

for (const script of ["db:migrate", "db:seed"]) {
  const run = spawnSync("npm", ["run", "--silent", script], { stdio: ["ignore", "ignore", "inherit"], env: process.env });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
const server = spawn("npx", ["next", "start", "-p", port], { stdio: "inherit", env: process.env });
let signalled = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    signalled = true;
    server.kill(signal);
  });
}
server.on("exit", async (code) => {
  if (signalled && !shared) {
    try {
      await (postgres ? dropDatabase() : removeSqliteFile());
    } catch (error) {
      console.error(`could not remove the database: ${error instanceof Error ? error.message : error}`);
    }
  }
  process.exit(code ?? 0);
});
