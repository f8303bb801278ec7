#!/usr/bin/env node
// `npm run test:postgres`: the tests again, on PostgreSQL. Starts a throwaway PostgreSQL server
// (scripts/throwaway-postgres.mjs: initdb into a temporary folder, a free port; PG_BIN names its
// binaries), then runs
//   1. the unit tests (vitest) with TEST_POSTGRES_URL: every test that uses a database gets a fresh
//      PostgreSQL one, and scripts/postgres/postgres.test.ts checks the migrations and the concurrency;
//   2. the Playwright `api` project with E2E_POSTGRES_URL: each server gets a fresh database of its
//      own, and e2e/api/postgres-instances.spec.ts runs two instances on one.
// Expects a build (`npm run build`), as `npm run test:e2e` does. Arguments go to Playwright
// (`npm run test:postgres -- --output=/tmp/pw-pg`). The server and its folder are removed at the end,
// also on failure or Ctrl-C.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { startThrowawayPostgres } from "./throwaway-postgres.mjs";

const log = (line) => console.log(`[test:postgres] ${line}`);
const distDir = process.env.NEXT_DIST_DIR || ".next";
if (!existsSync(path.join(distDir, "BUILD_ID"))) {
  console.error(`[test:postgres] no build in ${distDir}: run \`npm run build\` first.`);
  process.exit(1);
}

let child;
let postgres;
const cleanUp = () => {
  postgres?.stop();
  postgres = undefined;
};
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    child?.kill(signal);
    cleanUp();
    process.exit(130);
  });
}

/** Runs a command to its end; resolves with its exit code. */
function run(command, args, env) {
  return new Promise((resolve) => {
    child = spawn(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const started = Date.now();
let status = 1;
try {
  postgres = await startThrowawayPostgres({ log });
  const steps = [
    ["unit tests on PostgreSQL", "npx", ["vitest", "run"], { TEST_POSTGRES_URL: postgres.url }],
    [
      "API tests on PostgreSQL",
      "npx",
      ["playwright", "test", "--project=api", ...process.argv.slice(2)],
      { E2E_POSTGRES_URL: postgres.url },
    ],
  ];
  const failed = [];
  for (const [name, command, args, env] of steps) {
    const at = Date.now();
    log(`${name}: ${command} ${args.join(" ")}`);
    const code = await run(command, args, env);
    log(`${name}: ${code === 0 ? "passed" : `FAILED (exit ${code})`} in ${Math.round((Date.now() - at) / 1000)} s`);
    if (code !== 0) failed.push(name);
  }
  status = failed.length ? 1 : 0;
  log(`${failed.length ? `failed: ${failed.join(", ")}` : "all passed"} in ${Math.round((Date.now() - started) / 1000)} s`);
} catch (error) {
  console.error(`[test:postgres] ${error instanceof Error ? error.message : error}`);
} finally {
  cleanUp();
}
process.exit(status);
