import { test } from "@playwright/test";
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { testDatabaseUrl } from "./database";
import { freePort } from "../../scripts/free-port.mjs";

export { freePort };

/**
 * A second, private server for tests that need another configuration (short lifetimes): the built app
 * on a free port with its own fresh database (a SQLite file, or a PostgreSQL database on a run with
 * E2E_POSTGRES_URL), started the way playwright.config.ts starts the main one. With `shareDatabaseWith`
 * it is another instance on that server's database instead (as behind a load balancer).
 */
export type TestServer = {
  baseURL: string;
  databaseUrl: string;
  stop: () => Promise<void>;
  /** Sends `signal` to the server's whole process group and waits until it is gone (SIGKILL: a crash, nothing cleaned up). */
  kill: (signal: NodeJS.Signals) => Promise<void>;
};

const ROOT = path.resolve(__dirname, "../..");

export async function startServer(
  env: Record<string, string>,
  {
    timeoutMs = 90_000,
    port: chosen,
    host = "127.0.0.1",
    shareDatabaseWith,
    databaseUrl: chosenDatabase,
  }: {
    timeoutMs?: number;
    port?: number;
    host?: string;
    shareDatabaseWith?: TestServer;
    /** A fresh database at this URL instead of the default one (a PostgreSQL database on a server of the test's own). */
    databaseUrl?: string;
  } = {},
): Promise<TestServer> {
  const port = chosen ?? (await freePort());
  const baseURL = `http://${host}:${port}`;
  const databaseUrl = shareDatabaseWith?.databaseUrl ?? chosenDatabase ?? testDatabaseUrl(`e2e-extra-${port}`);
  const child = spawn(process.execPath, ["scripts/serve-fresh.mjs"], {
    cwd: ROOT,
    env: {
      ...process.env,
      APP_URL: baseURL,
      ...env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      ...(shareDatabaseWith ? { SERVE_FRESH_SHARED_DATABASE: "1" } : {}),
    },
    stdio: ["ignore", "ignore", "pipe"],
    // Its own process group, so that stop() ends serve-fresh and the `next start` it spawned, and nothing else.
    detached: true,
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));

  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* already gone */
    }
    await exited;
  };

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          /* gone */
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
    }
    // serve-fresh drops a PostgreSQL database itself when stopped; a SQLite file is removed here.
    if (!shareDatabaseWith && databaseUrl.startsWith("file:")) {
      const file = path.join(ROOT, databaseUrl.slice("file:".length));
      for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
    }
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The test server exited with ${child.exitCode}:\n${stderr}`);
    try {
      const res = await fetch(`${baseURL}/.well-known/openid-configuration`);
      if (res.ok) return { baseURL, databaseUrl, stop, kill };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`The test server did not answer within ${timeoutMs} ms:\n${stderr}`);
}

/** Starts a server with `env` for the describe block it is called in, and stops it afterwards. */
export function useServer(env: Record<string, string>): () => TestServer {
  let server: TestServer | undefined;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    server = await startServer(env);
  });
  test.afterAll(async () => {
    await server?.stop();
  });
  return () => server!;
}
