/**
 * `npx tsx scripts/bench/profile.ts <scenario> [seconds]`: a CPU profile of the server while it serves
 * one scenario (empty, form, authorize, token, refresh, api), summarised by self time per package and
 * per function, as a share of the busy time and in ms per request (the profiler's own cost included). For finding where a hot path's time goes; `npm run bench` is what measures it. With a build
 * made by `NEXT_PROFILE_BUILD=1 NEXT_DIST_DIR=.next-prof npx next build` (and NEXT_DIST_DIR=.next-prof
 * here) the server's code is not minified, so the profile names its functions.
 */
import autocannon from "autocannon";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { flowFor } from "./flow";
import { httpClient, pkcePair } from "./http";
import { ensureBuild, startServer } from "./server";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number };

/** CLOCK_MONOTONIC in µs: the clock of V8's profile timestamps, so that only the measured run is summarised. */
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);
let window: [number, number] = [0, Infinity];
let requests = 1;

const scenario = process.argv[2] ?? "api";
const seconds = Number(process.argv[3] ?? 8);

function packageOf(url: string): string {
  if (!url) return "(native/gc)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith("node:")) return "node";
  if (url.includes("/.next")) return url.includes("[root-of-the-server]") || url.includes("/chunks/") ? "app chunk" : "next build";
  return path.basename(url);
}

/** The rows of the performance guide's attribution table: a function's self time goes to one kind. */
function kindOf(functionName: string, pkg: string): string {
  if (["rows", "sqliteTransaction"].includes(functionName)) return "SQLite: statements and transactions (hot-sql.ts)";
  if (functionName === "bindable") return "binding values for SQLite";
  if (functionName === "signOneShot") return "ES256 signatures (node:crypto)";
  if (functionName === "randomFillSync") return "randomness";
  if (["Hash", "digest", "update"].includes(functionName) && pkg === "node") return "hashing (SHA-256)";
  if (pkg === "app chunk") return "the rest of our code and the bundled jose";
  if (pkg === "next" || pkg === "next build") return "Next.js";
  if (pkg === "node") return "Node (HTTP, streams, async hooks, AbortSignal)";
  if (pkg === "(garbage collector)") return "garbage collection";
  return "native and unattributed";
}

async function main() {
  ensureBuild("next-start");
  const dir = mkdtempSync(path.join(tmpdir(), "authcode-prof-"));
  const server = await startServer({ mode: "next-start", smoke: true, nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`] });
  const flow = flowFor(server.baseURL);
  const http = httpClient(server.baseURL);
  try {
    const { cookie, tokens } = await flow.signIn(http);
    const codes: { code: string; verifier: string }[] = [];
    const refreshTokens: string[] = [tokens.refresh_token];
    if (scenario === "token" || scenario === "refresh") {
      for (let i = 0; i < 3000; i++) {
        const p = pkcePair();
        const r = await http.send("GET", flow.authorizePath(p.challenge, "x"), { Cookie: cookie });
        const c = flow.codeOf(r.status, r.headers.location as string);
        if (c) codes.push({ code: c.code, verifier: p.verifier });
      }
      if (scenario === "refresh") {
        for (const c of codes.splice(0, 20)) {
          const q = flow.codeRequest(c.code, c.verifier);
          const r = await http.send(q.method, q.path, q.headers, q.body);
          refreshTokens.push(flow.tokensOf(r.status, r.body)!.refresh_token);
        }
      }
    }
    const request: autocannon.Request =
      scenario === "empty"
        ? { path: "/api/bench/empty" }
        : scenario === "form"
          ? { ...flow.codeRequest("c".repeat(43), "v".repeat(43)), path: "/api/bench/form" }
          : scenario === "api"
            ? { path: "/api/notes", headers: { Authorization: `Bearer ${tokens.access_token}` } }
            : scenario === "authorize"
              ? { headers: { Cookie: cookie }, setupRequest: (r) => ({ ...r, path: flow.authorizePath(pkcePair().challenge, "p") }) }
              : scenario === "token"
                ? {
                    setupRequest: (r) => {
                      const c = codes.shift()!;
                      return { ...r, ...flow.codeRequest(c.code, c.verifier) };
                    },
                  }
                : {
                    setupRequest: (r) => ({ ...r, ...flow.refreshRequest(refreshTokens.shift()!) }),
                    onResponse: (s, b) => {
                      const t = flow.tokensOf(s, b);
                      if (t) refreshTokens.push(t.refresh_token);
                    },
                  };
    const cpu0 = server.cpuMs();
    const from = monotonicMicros();
    const result = await autocannon({
      url: server.baseURL,
      connections: 10,
      duration: seconds,
      ...(scenario === "token" ? { amount: Math.min(codes.length, 2500) } : {}),
      requests: [request],
    });
    const cpu = server.cpuMs() - cpu0;
    requests = result.requests.total;
    window = [from, monotonicMicros()];
    console.log(
      `${scenario}: ${result.requests.total} requests, ${(result.requests.total / result.duration).toFixed(0)}/s, non2xx ${result.non2xx}, CPU ${(cpu / result.requests.total).toFixed(3)} ms/req`,
    );
  } finally {
    http.close();
    await server.stop();
  }
  // One profile per thread: the main thread's (thread 0) is summarised; the others (the WAL
  // checkpointer, lib/records/wal-checkpointer.ts) are reported by their busy time only.
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  const file = files.find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f));
  if (!file) throw new Error("no profile written");
  const selfTimes = (p: Profile) => {
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const self = new Map<number, number>();
    let at = p.startTime;
    p.samples.forEach((id, i) => {
      at += p.timeDeltas[i] ?? 0;
      if (at >= window[0] && at <= window[1]) self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
    });
    return { byId, self };
  };
  const busyOf = ({ byId, self }: ReturnType<typeof selfTimes>) =>
    [...self].filter(([id]) => byId.get(id)!.callFrame.functionName !== "(idle)").reduce((a, [, t]) => a + t, 0);
  const profile = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Profile;
  const { byId, self } = selfTimes(profile);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const busy = busyOf({ byId, self });
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byKind = new Map<string, number>();
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)") continue;
    const pkg = functionName.startsWith("(") ? functionName : packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + t);
    const kind = kindOf(functionName, pkg);
    byKind.set(kind, (byKind.get(kind) ?? 0) + t);
    const fn = `${functionName || "(anonymous)"} ${packageOf(url)}:${lineNumber}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + t);
  }
  const show = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .forEach(([k, t]) => console.log(`${((100 * t) / busy).toFixed(1).padStart(5)}%  ${(t / 1000 / requests).toFixed(3)} ms/req  ${k}`));
  console.log(`\nbusy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms profiled; self time by package:`);
  show(byPackage, 25);
  console.log("\nby kind (the performance guide's attribution table):");
  show(byKind, 20);
  for (const other of files.filter((f) => f !== file)) {
    const t = busyOf(selfTimes(JSON.parse(readFileSync(path.join(dir, other), "utf8")) as Profile));
    console.log(`another thread (${other}): busy ${(t / 1000 / requests).toFixed(3)} ms/req, beside the main thread`);
  }
  console.log("\nby function:");
  show(byFunction, 40);
  console.log(`\nprofile: ${path.join(dir, file)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
