/**
 * `npm run bench`: the project's benchmark (issue 6). Starts the production build on a fresh database,
 * signs a user in once through the real login and consent pages, then measures six scenarios (and, for
 * issue 14, the code grant and the API call again with DPoP proofs), each for
 * a fixed time and number of connections, against the framework's own ceiling (an empty route handler)
 * in the same run (and, for scale, a POST route that reads a token request's form and answers a JSON
 * body of a token response's size, doing nothing else): requests per second, p50 and p99 latency, errors, and the server's CPU time per
 * request from /proc. Prints a table and writes JSON to bench/results/.
 *
 *   npm run build && npm run bench             # the full run, about 2.5 minutes
 *   npm run bench -- --smoke                   # 1-2 s per scenario; exits non-zero on any error (CI)
 *   npm run bench -- --standalone              # the standalone output (NEXT_OUTPUT=standalone npm run build)
 *   DATABASE_URL=postgresql://... npm run bench
 *   npm run bench -- --fill                    # the same on a database filled to a workshop season first (scripts/bench/fill.ts)
 *   npm run bench -- --soak                    # 10 minutes of mixed traffic at half the maximum rate (scripts/bench/soak.ts); not in CI
 *
 * Options: --connections N (10), --duration S (10; the API scenario runs 60 s for the memory check),
 * --out FILE; for the soak, --soak-minutes N (10), --soak-rate R (requests per second; default half the
 * measured maximum), and --soak-real-lifetimes: the server's default lifetimes and graces, with
 * --soak-retention-hours H (EVENT_RETENTION_HOURS, which implies it; 1, or 24 with --fill), instead of the short horizon
 * that lets storage level off within minutes (always with --fill, which the short horizon would purge).
 * NEXT_DIST_DIR selects another build folder, as it does for `next build`.
 */
import autocannon from "autocannon";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fillUrl } from "./bench/fill";
import { flowFor, type Flow, type TokenSet } from "./bench/flow";
import { header, httpClient, pkcePair } from "./bench/http";
import { ensureBuild, ROOT, startServer, type BenchServer, type ServerMode } from "./bench/server";
import { makeProofs, newDpopKey, serverNonce } from "./bench/dpop";
import { runSoak } from "./bench/soak";

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const smoke = args.includes("--smoke");
const mode: ServerMode = args.includes("--standalone") ? "standalone" : "next-start";
const connections = Number(option("--connections") ?? 10);
const seconds = smoke ? 1.5 : Number(option("--duration") ?? 10);
const steadySeconds = smoke ? 2 : 60;
const fill = args.includes("--fill");

type Scenario = {
  key: string;
  title: string;
  /** What one unit is: a request, or (end to end) a whole grant of three requests. */
  unit: "request" | "grant";
  requestsPerUnit: number;
  durationS: number;
  connections: number;
  units: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  errorDetail: Record<string, number>;
  cpuMsPerUnit: number;
  cpuMsPerRequest: number;
  /** Requests per second over the empty route's, in this run. */
  ratio?: number;
  /** CPU per request minus the empty route's, in ms. */
  cpuOverEmptyMs?: number;
  rssMiB?: { start: number; end: number; max: number };
  note?: string;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const headerOf = (headers: Record<string, unknown> | undefined, name: string) => {
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === name) return Array.isArray(v) ? String(v[0]) : String(v);
  return undefined;
};

class Errors {
  readonly detail: Record<string, number> = {};
  count = 0;
  add(what: string) {
    this.count++;
    this.detail[what] = (this.detail[what] ?? 0) + 1;
  }
}

/**
 * One autocannon run of `requests`, with the server's CPU time sampled before and after. Every
 * response is checked by `check` (an unexpected status or body is an error), as are connection errors.
 */
async function measure(
  server: BenchServer,
  spec: {
    key: string;
    title: string;
    durationS: number;
    request: autocannon.Request;
    check: (status: number, body: string, headers: Record<string, unknown>) => string | undefined;
    onRss?: boolean;
  },
): Promise<Scenario> {
  const errors = new Errors();
  const rss: number[] = [];
  const cpuBefore = server.cpuMs();
  if (spec.onRss) rss.push(server.rssMiB());
  const timer = spec.onRss ? setInterval(() => rss.push(server.rssMiB()), 5_000) : undefined;
  const result = await autocannon({
    url: server.baseURL,
    connections,
    duration: spec.durationS,
    requests: [
      {
        ...spec.request,
        onResponse: (status, body, _context, headers) => {
          const problem = spec.check(status, body, headers as Record<string, unknown>);
          if (problem) errors.add(problem);
        },
      },
    ],
  });
  clearInterval(timer);
  await sleep(150); // the requests still in flight when the run stopped
  const cpuMs = server.cpuMs() - cpuBefore;
  if (spec.onRss) rss.push(server.rssMiB());
  for (let i = 0; i < result.errors; i++) errors.add("connection error or timeout");
  const units = result.requests.total;
  return {
    key: spec.key,
    title: spec.title,
    unit: "request",
    requestsPerUnit: 1,
    durationS: result.duration,
    connections,
    units,
    perSecond: units / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: errors.count,
    errorDetail: errors.detail,
    cpuMsPerUnit: cpuMs / units,
    cpuMsPerRequest: cpuMs / units,
    ...(spec.onRss ? { rssMiB: { start: round(rss[0], 1), end: round(rss.at(-1)!, 1), max: round(Math.max(...rss), 1) } } : {}),
  };
}

/** Authorization requests with the signed-in session and remembered consent; every 302 yields a code. */
function authorizeRequest(flow: Flow, cookie: string, codes: { code: string; verifier: string }[]) {
  let seq = 0;
  const verifiers = new Map<string, string>();
  const request: autocannon.Request = {
    method: "GET",
    headers: { Cookie: cookie },
    setupRequest: (req) => {
      const { verifier, challenge } = pkcePair();
      const state = `s${seq++}`;
      verifiers.set(state, verifier);
      return { ...req, path: flow.authorizePath(challenge, state) };
    },
  };
  const check = (status: number, _body: string, headers: Record<string, unknown>) => {
    const result = flow.codeOf(status, headerOf(headers, "location"));
    if (!result) return `authorize: ${status} ${headerOf(headers, "location")?.replace(/\?.*/, "?…") ?? ""}`;
    const verifier = verifiers.get(result.state);
    verifiers.delete(result.state);
    if (!verifier) return "authorize: unknown state";
    codes.push({ code: result.code, verifier });
    return undefined;
  };
  return { request, check };
}

/** The whole grant, as a client does it: authorize (302 with a code), token (three tokens), API. */
async function endToEnd(server: BenchServer, flow: Flow, cookie: string, durationS: number): Promise<Scenario> {
  const http = httpClient(server.baseURL, connections);
  const errors = new Errors();
  const latencies: number[] = [];
  const cpuBefore = server.cpuMs();
  const started = performance.now();
  const deadline = started + durationS * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const { verifier, challenge } = pkcePair();
        const authorized = await http.send("GET", flow.authorizePath(challenge, "e2e"), { Cookie: cookie });
        const code = flow.codeOf(authorized.status, header(authorized, "location"));
        if (!code) {
          errors.add(`authorize: ${authorized.status}`);
          continue;
        }
        const exchange = flow.codeRequest(code.code, verifier);
        const tokenResponse = await http.send(exchange.method, exchange.path, exchange.headers, exchange.body);
        const tokens = flow.tokensOf(tokenResponse.status, tokenResponse.body);
        if (!tokens) {
          errors.add(`token: ${tokenResponse.status}`);
          continue;
        }
        const api = await http.send("GET", "/api/notes", { Authorization: `Bearer ${tokens.access_token}` });
        if (api.status !== 200) {
          errors.add(`api: ${api.status}`);
          continue;
        }
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors.add(`connection: ${error instanceof Error ? error.message : error}`);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsedS = (performance.now() - started) / 1000;
  await sleep(150);
  const cpuMs = server.cpuMs() - cpuBefore;
  http.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] : 0);
  const units = latencies.length;
  return {
    key: "grant",
    title: "6 whole grant: authorize → token → API",
    unit: "grant",
    requestsPerUnit: 3,
    durationS: round(elapsedS),
    connections,
    units,
    perSecond: units / elapsedS,
    p50Ms: round(pct(50)),
    p99Ms: round(pct(99)),
    errors: errors.count,
    errorDetail: errors.detail,
    cpuMsPerUnit: cpuMs / Math.max(units, 1),
    cpuMsPerRequest: cpuMs / Math.max(units * 3, 1),
  };
}

function gitCommit(): string | undefined {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: ROOT }).toString().trim() !== "";
    return commit + (dirty ? "+changes" : "");
  } catch {
    return undefined;
  }
}

function printTable(scenarios: Scenario[]) {
  const rows = scenarios.map((s) => [
    s.title,
    s.unit === "grant" ? `${s.perSecond.toFixed(0)} grants/s` : s.perSecond.toFixed(0),
    s.ratio === undefined ? "" : `${s.ratio.toFixed(2)}×`,
    s.p50Ms.toFixed(1),
    s.p99Ms.toFixed(1),
    String(s.errors),
    s.cpuMsPerRequest.toFixed(3),
    s.cpuOverEmptyMs === undefined ? "" : (s.cpuOverEmptyMs >= 0 ? "+" : "") + s.cpuOverEmptyMs.toFixed(3),
  ]);
  const head = ["scenario", "req/s", "× empty", "p50 ms", "p99 ms", "errors", "CPU ms/req", "− empty"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
  for (const r of rows) console.log(line(r));
}

type FillReport = { seconds: number; databaseMiB: number; tables: { table: string; rows: number; seconds: number }[] };

/** The fill (--fill), on the migrated and seeded database before the server starts; printed as it ends. */
async function fillFirst(databaseUrl: string): Promise<FillReport> {
  console.log("Filling the database to a workshop season (1M flow events, 200k codes and tokens of each kind, 10k clients, 1k users)...");
  const result = await fillUrl(databaseUrl);
  const report = {
    seconds: round(result.ms / 1000, 1),
    databaseMiB: round(result.bytes / 2 ** 20, 1),
    tables: result.timings.map((t) => ({ table: t.table, rows: t.rows, seconds: round(t.ms / 1000, 2) })),
  };
  console.log(
    `Filled in ${report.seconds} s (${report.tables.map((t) => `${t.table} ${t.seconds} s`).join(", ")}); the database is ${report.databaseMiB} MiB.`,
  );
  return report;
}

async function main() {
  if (args.includes("--soak")) {
    const minutes = Number(option("--soak-minutes") ?? 10);
    const rate = option("--soak-rate");
    ensureBuild(mode);
    // The fill's events span 23 hours, a steady state for the default retention (24): with it, keep that.
    const retentionHours = Number(option("--soak-retention-hours") ?? (fill ? 24 : 1));
    const ok = await runSoak({
      horizon:
        fill || args.includes("--soak-real-lifetimes") || option("--soak-retention-hours") !== undefined ? { retentionHours } : "short",
      mode,
      connections,
      minutes,
      rate: rate === undefined ? undefined : Number(rate),
      fill,
      fillFirst,
      out: option("--out"),
    });
    process.exit(ok ? 0 : 1);
  }
  ensureBuild(mode);
  const loadBefore = loadavg();
  let filled: FillReport | undefined;
  const server = await startServer({ mode, smoke, prepare: fill ? async (url) => void (filled = await fillFirst(url)) : undefined });
  const flow = flowFor(server.baseURL);
  const http = httpClient(server.baseURL);
  const scenarios: Scenario[] = [];
  const notes: string[] = [];
  try {
    const { cookie, tokens: first } = await flow.signIn(http);
    // The user has a few notes, so that GET /api/notes reads rows.
    for (let i = 1; i <= 5; i++) {
      const created = await http.send(
        "POST",
        "/api/notes",
        { Authorization: `Bearer ${first.access_token}`, "Content-Type": "application/json" },
        JSON.stringify({ text: `Bench note ${i}` }),
      );
      if (created.status !== 201) throw new Error(`POST /api/notes answered ${created.status}`);
    }
    // Warm-up, not measured: the JIT and each route's first load.
    await endToEnd(server, flow, cookie, smoke ? 0.5 : 3);
    await autocannon({ url: `${server.baseURL}/api/bench/empty`, connections, duration: smoke ? 0.5 : 2 });

    console.log(
      `Measuring ${mode} on ${server.database}, ${connections} connections, ${seconds} s per scenario (${steadySeconds} s for the API)...`,
    );
    const emptyRoute = (key: string, title: string, durationS: number) =>
      measure(server, {
        key,
        title,
        durationS,
        request: { method: "GET", path: "/api/bench/empty" },
        check: (status, body) => (status === 200 && body === "ok" ? undefined : `empty: ${status}`),
      });
    scenarios.push(await emptyRoute("empty", "1 empty route handler", seconds));
    // Not a scenario of issue 6: what the framework alone costs for a request shaped like scenario 3.
    const formRequest = flow.codeRequest("c".repeat(43), "v".repeat(43));
    scenarios.push(
      await measure(server, {
        key: "form",
        title: "1b POST form → JSON, no work",
        durationS: seconds,
        request: { ...formRequest, path: "/api/bench/form" },
        check: (status, body) => (status === 200 && body.startsWith('{"bench":"form","fields":4,') ? undefined : `form: ${status}`),
      }),
    );

    const codes: { code: string; verifier: string }[] = [];
    const authorize = authorizeRequest(flow, cookie, codes);
    scenarios.push(await measure(server, { key: "authorize", title: "2 authorize (session+consent)", durationS: seconds, ...authorize }));

    // Enough distinct codes for the token scenario, from the real authorization endpoint (not measured).
    const authorizeRate = scenarios.find((s) => s.key === "authorize")!.perSecond;
    // The token endpoint is slower than authorize, so twice the authorize scenario's yield is ample.
    const wanted = smoke ? Math.max(400, Math.ceil(authorizeRate * seconds * 4)) : Math.ceil(authorizeRate * seconds * 2) + connections * 2;
    if (codes.length < wanted) {
      await autocannon({
        url: server.baseURL,
        connections,
        amount: wanted - codes.length,
        requests: [
          {
            ...authorize.request,
            onResponse: (s, b, _c, h) => {
              authorize.check(s, b, h as Record<string, unknown>);
            },
          },
        ],
      });
    }

    const refreshTokens: string[] = [];
    let latest: TokenSet = first;
    let codesRanOut = 0;
    scenarios.push(
      await measure(server, {
        key: "token-code",
        title: "3 token: code → AT+RT+ID",
        durationS: seconds,
        request: {
          setupRequest: (req) => {
            const next = codes.shift();
            if (!next) codesRanOut++;
            return { ...req, ...flow.codeRequest(next?.code ?? "no-code-left", next?.verifier ?? "x".repeat(43)) };
          },
        },
        check: (status, body) => {
          const tokens = flow.tokensOf(status, body);
          if (!tokens) return `token: ${status} ${body.slice(0, 80)}`;
          refreshTokens.push(tokens.refresh_token);
          latest = tokens;
          return undefined;
        },
      }),
    );
    if (codesRanOut) notes.push(`scenario 3 ran out of codes ${codesRanOut} times (those requests failed)`);

    // Each refresh request presents a distinct refresh token, and its rotated successor goes back in the pool.
    scenarios.push(
      await measure(server, {
        key: "token-refresh",
        title: "4 token: refresh_token (rotation)",
        durationS: seconds,
        request: {
          setupRequest: (req) => ({ ...req, ...flow.refreshRequest(refreshTokens.shift() ?? "no-refresh-token-left") }),
        },
        check: (status, body) => {
          const tokens = flow.tokensOf(status, body);
          if (!tokens) return `refresh: ${status} ${body.slice(0, 80)}`;
          refreshTokens.push(tokens.refresh_token);
          latest = tokens;
          return undefined;
        },
      }),
    );

    scenarios.push(
      await measure(server, {
        key: "api",
        title: "5 GET /api/notes (bearer)",
        durationS: steadySeconds,
        onRss: true,
        request: { method: "GET", path: "/api/notes", headers: { Authorization: `Bearer ${latest.access_token}` } },
        check: (status, body) => (status === 200 && body.startsWith('{"notes":[') ? undefined : `api: ${status} ${body.slice(0, 80)}`),
      }),
    );

    // Issue 14: the code grant and the API call again, DPoP-bound (RFC 9449), to report DPoP's cost over Bearer.
    const key = await newDpopKey();
    const nonce = await serverNonce(server.baseURL, key);
    const scenario = (name: string) => scenarios.find((s) => s.key === name)!;
    const perSecond = (name: string) => scenario(name).perSecond;
    const dpopCodes = Math.ceil(perSecond("token-code") * seconds * 1.5) + connections * 2;
    codes.length = 0;
    await autocannon({
      url: server.baseURL,
      connections,
      amount: dpopCodes,
      requests: [{ ...authorize.request, onResponse: (s, b, _c, h) => void authorize.check(s, b, h as Record<string, unknown>) }],
    });
    const tokenProofs = await makeProofs(key, codes.length + connections, { method: "POST", url: `${server.baseURL}/oauth/token` }, nonce);
    let bound: TokenSet | undefined;
    scenarios.push(
      await measure(server, {
        key: "token-code-dpop",
        title: "3d token: code → DPoP AT+RT+ID",
        durationS: seconds,
        request: {
          setupRequest: (req) => {
            const next = codes.shift();
            const request = flow.codeRequest(next?.code ?? "no-code-left", next?.verifier ?? "x".repeat(43));
            return { ...req, ...request, headers: { ...request.headers, DPoP: tokenProofs.shift() ?? "no-proof-left" } };
          },
        },
        check: (status, body) => {
          const tokens = flow.tokensOf(status, body);
          if (!tokens || !body.includes('"token_type":"DPoP"')) return `token (DPoP): ${status} ${body.slice(0, 80)}`;
          bound = tokens;
          return undefined;
        },
      }),
    );
    if (!bound) throw new Error("The DPoP code grant issued no tokens.");
    const boundToken = bound.access_token;
    const apiProofs = await makeProofs(
      key,
      Math.ceil(perSecond("api") * seconds * 1.5) + connections,
      { method: "GET", url: `${server.baseURL}/api/notes`, accessToken: boundToken },
      nonce,
    );
    scenarios.push(
      await measure(server, {
        key: "api-dpop",
        title: "5d GET /api/notes (DPoP)",
        durationS: seconds,
        request: {
          setupRequest: (req) => ({
            ...req,
            method: "GET",
            path: "/api/notes",
            headers: { Authorization: `DPoP ${boundToken}`, DPoP: apiProofs.shift() ?? "no-proof-left" },
          }),
        },
        check: (status, body) =>
          status === 200 && body.startsWith('{"notes":[') ? undefined : `api (DPoP): ${status} ${body.slice(0, 80)}`,
      }),
    );

    for (const [dpop, bearer, what] of [
      ["token-code-dpop", "token-code", "code grant"],
      ["api-dpop", "api", "API call"],
    ] as const) {
      const [d, b] = [scenario(dpop), scenario(bearer)];
      notes.push(
        `DPoP over Bearer, ${what}: ${(d.perSecond / b.perSecond).toFixed(2)}× the requests per second, ${(d.cpuMsPerRequest - b.cpuMsPerRequest).toFixed(2)} ms more CPU per request`,
      );
    }

    scenarios.push(await endToEnd(server, flow, cookie, seconds));
    // The ceiling once more: if it moved, something else on the machine took CPU during the run.
    scenarios.push(await emptyRoute("empty-again", "1 empty route handler, again", smoke ? 1 : Math.min(seconds, 5)));
  } finally {
    http.close();
    await server.stop();
  }

  const base = scenarios[0];
  for (const s of scenarios.slice(1)) {
    s.ratio = (s.perSecond * s.requestsPerUnit) / base.perSecond;
    s.cpuOverEmptyMs = s.cpuMsPerRequest - base.cpuMsPerRequest;
  }
  const api = scenarios.find((s) => s.key === "api");
  const again = scenarios.find((s) => s.key === "empty-again");
  if (again && Math.abs(again.perSecond / base.perSecond - 1) > 0.15) {
    notes.push(
      `the empty route's rate moved from ${base.perSecond.toFixed(0)} to ${again.perSecond.toFixed(0)} req/s during the run: the machine was not idle, so the ratios are approximate`,
    );
  }
  const report = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    mode,
    database: server.database,
    smoke,
    ...(filled ? { fill: filled } : {}),
    connections,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: round(totalmem() / 2 ** 30, 1), node: process.version },
    loadAverage: { before: loadBefore.map((l) => round(l)), after: loadavg().map((l) => round(l)) },
    scenarios: scenarios.map((s) => ({
      ...s,
      perSecond: round(s.perSecond, 1),
      cpuMsPerUnit: round(s.cpuMsPerUnit, 3),
      cpuMsPerRequest: round(s.cpuMsPerRequest, 3),
      ...(s.ratio !== undefined ? { ratio: round(s.ratio, 3), cpuOverEmptyMs: round(s.cpuOverEmptyMs!, 3) } : {}),
    })),
    notes,
  };

  console.log("");
  printTable(scenarios);
  if (api?.rssMiB)
    console.log(
      `\nServer RSS over the ${round(api.durationS, 0)} s API run: ${api.rssMiB.start} MiB at start, ${api.rssMiB.end} MiB at end (max ${api.rssMiB.max}).`,
    );
  if (filled) console.log(`On a filled database: ${filled.databaseMiB} MiB after a fill of ${filled.seconds} s.`);
  console.log(
    `Load average before: ${report.loadAverage.before.join(" ")}; after: ${report.loadAverage.after.join(" ")}. ${mode}, ${server.database}, Node ${process.version}, ${cpus().length} CPUs.`,
  );
  for (const note of notes) console.log(`Note: ${note}`);

  const out =
    option("--out") ??
    (smoke ? undefined : path.join(ROOT, "bench", "results", `${report.date.replace(/[:.]/g, "-")}${fill ? "-fill" : ""}.json`));
  if (out) {
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`Wrote ${path.relative(ROOT, out)}`);
  }
  const failed = scenarios.filter((s) => s.errors > 0);
  if (failed.length) {
    for (const s of failed) console.error(`${s.title}: ${s.errors} errors ${JSON.stringify(s.errorDetail)}`);
    if (smoke) process.exit(1);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
