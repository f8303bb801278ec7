/**
 * `npm run bench -- --soak` (not in CI): mixed traffic for a long while at half the maximum rate, with
 * the purge on, to show whether memory, latency and storage stay flat (issue 15).
 *
 * One unit of the mix is what a client does over a grant's life: authorize (302 with a code), the code
 * grant (access, refresh and ID token), a refresh (rotation), and three API calls with the newest
 * access token: six requests. First the maximum: units run back to back on `connections` loops for
 * PROBE_S seconds. Then, for `minutes`, units start at a fixed pace (open loop: a slow answer does not
 * slow the pace, it shows in p99) so that requests arrive at half that maximum, or at `rate`.
 *
 * Storage can level off only once the first rows are past what the purge keeps. With the server's
 * default lifetimes that is more than a day (a refresh token's family lives a day, and its rows an hour
 * more), so by default the soak gives its server a short horizon, SHORT_HORIZON: every lifetime a minute,
 * the purge's grace a minute, events kept 3 minutes, a purge every 30 s. Then a code's row, the last to
 * go, is deleted 5 minutes after it was issued (its minute, the grace, and its grant's tokens' lifetime
 * and grace), and from then on the database should stay flat. `horizon: { retentionHours }` keeps the
 * server's defaults instead (a purge every minute, events kept that many hours).
 *
 * Each minute prints the server's RSS, p99 over that minute's requests, the database's size (SQLite:
 * the file and its WAL), errors and the rows the purge deleted; the whole run goes to
 * bench/results/soak-<time>.json. Any error fails the run.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { databaseBytes } from "./fill";
import { flowFor, type Flow } from "./flow";
import { header, httpClient, pkcePair, type HttpClient } from "./http";
import { ROOT, startServer, type ServerMode } from "./server";

const PROBE_S = 15;
/** The server's settings for the short horizon (see above). */
export const SHORT_HORIZON = {
  CODE_TTL_SECONDS: "60",
  ACCESS_TOKEN_TTL_SECONDS: "60",
  ID_TOKEN_TTL_SECONDS: "60",
  REFRESH_TOKEN_TTL_SECONDS: "60",
  PURGE_GRACE_SECONDS: "60",
  EVENT_RETENTION_HOURS: "0.05",
  PRUNE_INTERVAL_SECONDS: "30",
};
const REQUESTS_PER_UNIT = 6;
/** Units in flight beyond this are not started (and counted as errors): the server has fallen behind. */
const MAX_IN_FLIGHT = 200;

type Minute = {
  minute: number;
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  rssMiB: number;
  databaseMiB: number;
  errors: number;
  /** Rows the purge deleted in this minute (it logs only purges that deleted some). */
  purgedRows: number;
};

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;

/** One unit of the mix; each request's latency goes to `latency`, the first failure is thrown. */
async function unit(http: HttpClient, flow: Flow, cookie: string, latency: (ms: number) => void): Promise<void> {
  const timed = async (...a: Parameters<HttpClient["send"]>) => {
    const t0 = performance.now();
    const response = await http.send(...a);
    latency(performance.now() - t0);
    return response;
  };
  const { verifier, challenge } = pkcePair();
  const authorized = await timed("GET", flow.authorizePath(challenge, "soak"), { Cookie: cookie });
  const code = flow.codeOf(authorized.status, header(authorized, "location"));
  if (!code) throw new Error(`authorize: ${authorized.status}`);
  const exchange = flow.codeRequest(code.code, verifier);
  const granted = await timed(exchange.method, exchange.path, exchange.headers, exchange.body);
  const first = flow.tokensOf(granted.status, granted.body);
  if (!first) throw new Error(`token: ${granted.status}`);
  const refresh = flow.refreshRequest(first.refresh_token);
  const refreshed = await timed(refresh.method, refresh.path, refresh.headers, refresh.body);
  const tokens = flow.tokensOf(refreshed.status, refreshed.body);
  if (!tokens) throw new Error(`refresh: ${refreshed.status}`);
  for (let i = 0; i < 3; i++) {
    const api = await timed("GET", "/api/notes", { Authorization: `Bearer ${tokens.access_token}` });
    if (api.status !== 200) throw new Error(`api: ${api.status}`);
  }
}

export async function runSoak(options: {
  mode: ServerMode;
  connections: number;
  minutes: number;
  /** SHORT_HORIZON, or the server's default lifetimes with EVENT_RETENTION_HOURS. */
  horizon: "short" | { retentionHours: number };
  /** Requests per second; default: half the measured maximum. */
  rate?: number;
  fill: boolean;
  fillFirst: (databaseUrl: string) => Promise<unknown>;
  out?: string;
}): Promise<boolean> {
  let purgedRows = 0;
  const server = await startServer({
    mode: options.mode,
    smoke: false,
    env:
      options.horizon === "short"
        ? SHORT_HORIZON
        : { PRUNE_INTERVAL_SECONDS: "60", EVENT_RETENTION_HOURS: String(options.horizon.retentionHours) },
    prepare: options.fill ? async (url) => void (await options.fillFirst(url)) : undefined,
    onOutput: (text) => {
      for (const m of text.matchAll(/purged (\d+) dead rows/g)) purgedRows += Number(m[1]);
    },
  });
  const flow = flowFor(server.baseURL);
  const http = httpClient(server.baseURL, MAX_IN_FLIGHT);
  const minutes: Minute[] = [];
  const errorDetail: Record<string, number> = {};
  let maxPerSecond = 0;
  let rate = 0;
  try {
    const { cookie, tokens } = await flow.signIn(http);
    for (let i = 1; i <= 5; i++) {
      const created = await http.send(
        "POST",
        "/api/notes",
        { Authorization: `Bearer ${tokens.access_token}`, "Content-Type": "application/json" },
        JSON.stringify({ text: `Soak note ${i}` }),
      );
      if (created.status !== 201) throw new Error(`POST /api/notes answered ${created.status}`);
    }

    if (options.rate === undefined) {
      console.log(`Measuring the maximum: the mix back to back on ${options.connections} connections for ${PROBE_S} s...`);
      let requests = 0;
      const deadline = performance.now() + PROBE_S * 1000;
      const loop = async () => {
        while (performance.now() < deadline) await unit(http, flow, cookie, () => requests++);
      };
      await Promise.all(Array.from({ length: options.connections }, loop));
      maxPerSecond = requests / PROBE_S;
      rate = maxPerSecond / 2;
    } else rate = options.rate;
    const horizon =
      options.horizon === "short"
        ? `short horizon (${Object.entries(SHORT_HORIZON)
            .map(([k, v]) => `${k}=${v}`)
            .join(" ")})`
        : `default lifetimes, purge every 60 s, events kept ${options.horizon.retentionHours} h`;
    console.log(
      `Soak: ${options.minutes} min at ${rate.toFixed(0)} req/s${maxPerSecond ? ` (half of ${maxPerSecond.toFixed(0)})` : ""}, ${server.database}, ${horizon}.`,
    );
    console.log("| minute | req/s | p50 ms | p99 ms | RSS MiB | database MiB | errors | purged rows |");
    console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");

    const intervalMs = (1000 * REQUESTS_PER_UNIT) / rate;
    const started = performance.now();
    const end = started + options.minutes * 60_000;
    let latencies: number[] = [];
    let errors = 0;
    let inFlight = 0;
    let startedUnits = 0;
    const running = new Set<Promise<void>>();
    const fail = (what: string) => {
      errors++;
      errorDetail[what] = (errorDetail[what] ?? 0) + 1;
    };
    let nextMinute = started + 60_000;
    let purgedBefore = purgedRows;
    const closeMinute = async () => {
      const sorted = latencies.sort((a, b) => a - b);
      const row: Minute = {
        minute: minutes.length + 1,
        requests: sorted.length,
        perSecond: round(sorted.length / 60),
        p50Ms: round(percentile(sorted, 50)),
        p99Ms: round(percentile(sorted, 99)),
        rssMiB: round(server.rssMiB()),
        databaseMiB: round((await databaseBytes(server.databaseUrl)) / 2 ** 20),
        errors,
        purgedRows: purgedRows - purgedBefore,
      };
      minutes.push(row);
      console.log(
        `| ${row.minute} | ${row.perSecond} | ${row.p50Ms} | ${row.p99Ms} | ${row.rssMiB} | ${row.databaseMiB} | ${row.errors} | ${row.purgedRows} |`,
      );
      latencies = [];
      errors = 0;
      purgedBefore = purgedRows;
    };
    while (performance.now() < end) {
      // Units due by now start now: the pace holds even when a timer fires late.
      while (started + startedUnits * intervalMs <= performance.now() && performance.now() < end) {
        startedUnits++;
        if (inFlight >= MAX_IN_FLIGHT) {
          fail("overload: too many units in flight");
          continue;
        }
        inFlight++;
        const p = unit(http, flow, cookie, (ms) => latencies.push(ms))
          .catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)))
          .finally(() => {
            inFlight--;
            running.delete(p);
          });
        running.add(p);
      }
      if (performance.now() >= nextMinute) {
        nextMinute += 60_000;
        await closeMinute();
      }
      await new Promise((r) => setTimeout(r, Math.max(1, Math.min(50, started + startedUnits * intervalMs - performance.now()))));
    }
    await Promise.all(running);
    if (latencies.length || errors) await closeMinute();
  } finally {
    http.close();
    await server.stop();
  }

  const totalErrors = minutes.reduce((sum, m) => sum + m.errors, 0);
  const report = {
    date: new Date().toISOString(),
    mode: options.mode,
    database: server.database,
    filled: options.fill,
    horizon: options.horizon === "short" ? SHORT_HORIZON : options.horizon,
    maxPerSecond: round(maxPerSecond),
    rate: round(rate),
    minutes,
    errors: totalErrors,
    errorDetail,
  };
  const out = options.out ?? path.join(ROOT, "bench", "results", `soak-${report.date.replace(/[:.]/g, "-")}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Wrote ${path.relative(ROOT, out)}`);
  if (totalErrors) console.error(`${totalErrors} errors: ${JSON.stringify(errorDetail)}`);
  return totalErrors === 0;
}
