#!/usr/bin/env node
// Serves the built app on a fresh SQLite database: deletes DATABASE_URL's file, migrates, seeds, then
// runs `next start`. Used by the tests (each server its own database) and handy for a clean demo.
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";

const port = process.env.PORT ?? "3000";
process.env.APP_URL ??= `http://localhost:${port}`;
process.env.DATABASE_URL ??= `file:./data/fresh-${port}.db`;
process.env.NEXT_TELEMETRY_DISABLED = "1";

const file = path.resolve(process.env.DATABASE_URL.slice("file:".length));
for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });

for (const script of ["db:migrate", "db:seed"]) {
  const run = spawnSync("npm", ["run", "--silent", script], { stdio: ["ignore", "ignore", "inherit"], env: process.env });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
const server = spawn("npx", ["next", "start", "-p", port], { stdio: "inherit", env: process.env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
