#!/usr/bin/env node
// A throwaway PostgreSQL server: `initdb` into a temporary folder, started on a free port of 127.0.0.1
// (its unix socket in the same folder), removed with everything in it by stop(). Durability is off
// (fsync, synchronous_commit): nothing here outlives the run. Its time zone is not UTC (+05:45), so
// that anything that leaned on the database's clock instead of Prisma's UTC values would show. Used by `npm run test:postgres`; run on
// its own, it prints the URL and serves until Ctrl-C.
//
// PG_BIN names the folder of initdb, pg_ctl and postgres (default: Debian's PostgreSQL 15). As root,
// the server runs as the `postgres` user, which PostgreSQL requires.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./free-port.mjs";

const DEFAULT_PG_BIN = "/usr/lib/postgresql/15/bin";

/**
 * @param {{ pgBin?: string, log?: (line: string) => void }} [options]
 * @returns {Promise<{ url: string, port: number, dir: string, stop: () => void, halt: () => void, resume: () => void }>}
 *   `url` is the superuser's URL of the `postgres` database; create the app's databases from it.
 *   halt() shuts the server down (`-m fast`: sessions are ended, as in a failover) and keeps its data;
 *   resume() starts it again on the same port. stop() ends it and removes everything.
 */
export async function startThrowawayPostgres({ pgBin = process.env.PG_BIN || DEFAULT_PG_BIN, log = () => {} } = {}) {
  for (const tool of ["initdb", "pg_ctl", "postgres"]) {
    if (!existsSync(path.join(pgBin, tool))) {
      throw new Error(
        `${path.join(pgBin, tool)} not found: install PostgreSQL's server binaries (Debian: apt-get install postgresql-15) or set PG_BIN to their folder.`,
      );
    }
  }
  const asRoot = process.getuid?.() === 0;
  let owner;
  if (asRoot) {
    try {
      owner = {
        uid: Number(execFileSync("id", ["-u", "postgres"]).toString()),
        gid: Number(execFileSync("id", ["-g", "postgres"]).toString()),
      };
    } catch {
      throw new Error("PostgreSQL refuses to run as root, and there is no `postgres` user to run it as (useradd --system postgres).");
    }
  }
  const run = (tool, args) => {
    const command = asRoot ? ["runuser", ["-u", "postgres", "--", path.join(pgBin, tool), ...args]] : [path.join(pgBin, tool), args];
    const result = spawnSync(command[0], command[1], { encoding: "utf8", cwd: dir });
    if (result.status !== 0) throw new Error(`${tool} failed (${result.status ?? result.signal}):\n${result.stderr || result.stdout}`);
    return result.stdout;
  };

  const dir = mkdtempSync(path.join(os.tmpdir(), "authcode-lab-pg-"));
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "postgres.log");
  let started = false;
  let options = "";
  const halt = () => {
    if (!started) return;
    run("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "20", "stop"]);
    started = false;
  };
  const resume = () => {
    if (started) return;
    run("pg_ctl", ["-D", data, "-l", logFile, "-o", options, "-w", "-t", "30", "start"]);
    started = true;
  };
  const stop = () => {
    if (started) {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "-t", "20", "stop"]);
      } catch (error) {
        log(String(error));
      }
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    if (owner) chownSync(dir, owner.uid, owner.gid);
    const password = randomBytes(18).toString("base64url");
    const pwfile = path.join(dir, "pwfile");
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (owner) chownSync(pwfile, owner.uid, owner.gid);
    log(`initdb ${data}`);
    // Local (socket) connections are trusted; TCP ones, which the app makes, need the password.
    run("initdb", [
      "-D",
      data,
      "-U",
      "postgres",
      `--pwfile=${pwfile}`,
      "--auth-local=trust",
      "--auth-host=scram-sha-256",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync",
      "--no-instructions",
    ]);
    rmSync(pwfile);

    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      options = [
        `-p ${port}`,
        `-k ${dir}`,
        "-c listen_addresses=127.0.0.1",
        "-c max_connections=200",
        "-c fsync=off",
        "-c synchronous_commit=off",
        "-c full_page_writes=off",
        "-c timezone=Asia/Kathmandu",
      ].join(" ");
      try {
        run("pg_ctl", ["-D", data, "-l", logFile, "-o", options, "-w", "-t", "30", "start"]);
      } catch (error) {
        // Another process took the port between the probe and the start: try another.
        if (attempt < 3) continue;
        throw new Error(
          `${error instanceof Error ? error.message : error}\n${existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-2000) : ""}`,
        );
      }
      started = true;
      log(`PostgreSQL on 127.0.0.1:${port}, socket and data in ${dir}`);
      return { url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`, port, dir, stop, halt, resume };
    }
  } catch (error) {
    stop();
    throw error;
  }
}

// Run as a script. Neither top-level await nor import.meta: Playwright's loader turns this module into
// CommonJS when a test imports it (e2e/api/faults.spec.ts).
if (process.argv[1] && path.basename(process.argv[1]) === "throwaway-postgres.mjs") {
  startThrowawayPostgres({ log: (line) => console.error(line) }).then((server) => {
    console.log(server.url);
    const end = () => {
      server.stop();
      process.exit(0);
    };
    process.on("SIGINT", end);
    process.on("SIGTERM", end);
    setInterval(() => {}, 1 << 30);
  });
}
