import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { freePort } from "../free-port.mjs";

export { freePort };

/**
 * The production server under test, started the way scripts/serve-fresh.mjs starts one: a fresh SQLite
 * file (or DATABASE_URL as given when it is PostgreSQL), migrated and seeded, then `next start` (or the
 * standalone server.js) on a free port. CPU time and RSS are read from /proc for the server's process tree.
 */
export type ServerMode = "next-start" | "standalone";

export type BenchServer = {
  baseURL: string;
  pid: number;
  mode: ServerMode;
  database: string;
  /** Its DATABASE_URL (the SQLite file's is absolute). */
  databaseUrl: string;
  /** utime+stime of the server's process tree, in milliseconds. */
  cpuMs(): number;
  /** Resident set size of the server's process tree, in MiB. */
  rssMiB(): number;
  stop(): Promise<void>;
};

/** npm runs scripts in the package root. */
export const ROOT = process.cwd();
const DIST_DIR = process.env.NEXT_DIST_DIR || ".next";
const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"]).stdout?.toString().trim()) || 100;
const PAGE_KIB = (Number(spawnSync("getconf", ["PAGESIZE"]).stdout?.toString().trim()) || 4096) / 1024;

/** The bench measures a production build; it builds one only when there is none. */
export function ensureBuild(mode: ServerMode) {
  const dist = path.join(ROOT, DIST_DIR);
  const serverJs = path.join(dist, "standalone", "server.js");
  const built = existsSync(path.join(dist, "BUILD_ID")) && (mode === "next-start" || existsSync(serverJs));
  if (!built) {
    console.log(`No ${mode === "standalone" ? "standalone " : ""}build in ${DIST_DIR}/: running \`npm run build\` first.`);
    const env = mode === "standalone" ? { ...process.env, NEXT_OUTPUT: "standalone" } : process.env;
    const run = spawnSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "inherit", env });
    if (run.status !== 0) throw new Error("npm run build failed");
    if (mode === "standalone" && !existsSync(serverJs)) throw new Error(`${serverJs} is missing: is output "standalone" set?`);
  }
  if (mode === "standalone") {
    // The standalone output leaves static assets to a CDN; served by the same process here, as `next start` does.
    const standalone = path.join(dist, "standalone");
    if (!existsSync(path.join(standalone, DIST_DIR, "static")))
      cpSync(path.join(dist, "static"), path.join(standalone, DIST_DIR, "static"), { recursive: true });
    if (existsSync(path.join(ROOT, "public")) && !existsSync(path.join(standalone, "public")))
      cpSync(path.join(ROOT, "public"), path.join(standalone, "public"), { recursive: true });
  }
}

function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      /* gone */
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which may contain spaces: field 3 (state) is index 0.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

export async function startServer({
  mode,
  smoke,
  nodeArgs = [],
  env: extraEnv = {},
  prepare,
  onOutput,
}: {
  mode: ServerMode;
  smoke: boolean;
  nodeArgs?: string[];
  /** More of the server's environment (the soak's purge interval). */
  env?: Record<string, string>;
  /** Runs on the migrated and seeded database before the server starts (the fill). */
  prepare?: (databaseUrl: string) => Promise<void>;
  /** Each chunk the server writes to stdout (the soak counts its purges). */
  onOutput?: (text: string) => void;
}): Promise<BenchServer> {
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const given = process.env.DATABASE_URL;
  const postgres = !!given && /^postgres(ql)?:\/\//.test(given);
  // Absolute, because the standalone server changes its working directory to its own folder.
  const file = path.join(ROOT, "data", `bench-${port}.db`);
  const databaseUrl = postgres ? given! : `file:${file}`;
  const removeFile = () => {
    if (!postgres) for (const s of ["", "-wal", "-shm", "-journal"]) rmSync(file + s, { force: true });
  };
  removeFile();

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    APP_URL: baseURL,
    DATABASE_URL: databaseUrl,
    NEXT_TELEMETRY_DISABLED: "1",
    // The reference routes (scenarios 1 and 1b) answer only with this on.
    BENCH_ROUTES: "on",
    // Codes are collected before they are redeemed (scenario 3): give them time. Lifetimes do not change the cost of a request.
    CODE_TTL_SECONDS: "600",
    HOSTNAME: "127.0.0.1",
    ...extraEnv,
  };
  for (const script of ["db:migrate", "db:seed"]) {
    const run = spawnSync("npm", ["run", "--silent", script], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], env });
    if (run.status !== 0) throw new Error(`npm run ${script} failed:\n${run.stderr?.toString() ?? ""}`);
  }
  if (prepare) {
    try {
      await prepare(databaseUrl);
    } catch (error) {
      removeFile();
      throw error;
    }
  }

  const command =
    mode === "standalone"
      ? [path.join(ROOT, DIST_DIR, "standalone", "server.js")]
      : [path.join(ROOT, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...command], {
    cwd: ROOT,
    env,
    stdio: ["ignore", onOutput ? "pipe" : "ignore", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => onOutput?.(chunk.toString()));
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
    if (!smoke && /error/i.test(chunk.toString())) process.stderr.write(`[server] ${chunk}`);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pid = child.pid!;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    removeFile();
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`The server exited with ${child.exitCode}:\n${stderr}`);
    }
    try {
      const res = await fetch(`${baseURL}/.well-known/openid-configuration`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The server did not answer within 60 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    baseURL,
    pid,
    mode,
    database: postgres ? "postgresql" : "sqlite",
    databaseUrl,
    cpuMs: () =>
      processTree(pid).reduce((sum, p) => {
        const f = statFields(p);
        return f ? sum + ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK : sum;
      }, 0),
    rssMiB: () =>
      processTree(pid).reduce((sum, p) => {
        const f = statFields(p);
        return f ? sum + (Number(f[21]) * PAGE_KIB) / 1024 : sum;
      }, 0),
    stop,
  };
}
