import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import path from "node:path";
import type * as oauth from "oauth4webapi";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../scripts/throwaway-postgres.mjs";
import { e2ePostgresUrl } from "../support/database";
import { locationOf, runFrontChannel, UserAgent } from "../support/flow";
import { authorizationRequest, Backchannel, demoClient, discover, SECRETS, USERS, type PendingAuthorization } from "../support/oauth";
import { startServer, type TestServer } from "../support/server";

/**
 * Faults injected under load: the server killed with SIGKILL (SQLite), and the database stopped and
 * started again (PostgreSQL). Each test starts servers of its own, so nothing else sees the fault.
 */

const ROOT = path.resolve(__dirname, "../..");
/** Codes must still be unexpired after the restart: what refuses a spent code then is its consumption, not its age. */
const ENV = { CODE_TTL_SECONDS: "600" };

/** A run of the load: what the server delivered before the fault, as its clients hold it. */
type Grant = { params: URLSearchParams; pending: PendingAuthorization };
/** A grant's refresh-token family: its latest refresh and access tokens, and how many token responses reached the client. */
type Family = { latest: string; lost: boolean; accessToken: string; refreshes: number };
type Delivered = { accessTokens: string[]; families: Family[]; spentCodes: Grant[]; unredeemedCodes: Grant[] };

/** Signs alice in once; afterwards her session and consent let every authorization request through at once. */
async function signedInAgent(server: TestServer, as: oauth.AuthorizationServer) {
  const client = demoClient("walkthrough", as.issuer);
  const agent = new UserAgent(server.baseURL);
  const first = await authorizationRequest(as, client);
  await runFrontChannel(agent, first.url, first.redirectUri, { user: USERS.alice });
  return { client, agent };
}

test.describe("SIGKILL under a load of grants and refreshes (SQLite)", () => {
  test.skip(!!e2ePostgresUrl(), "the SQLite file is the point: run by `npm test`");

  let first: TestServer | undefined;
  let again: TestServer | undefined;
  test.afterAll(async () => {
    await again?.stop();
    // The killed server's stop() only removes its SQLite file now.
    await first?.stop();
  });

  test("after a restart on the same file, every delivered token works, every spent code stays spent, and the file is intact", async () => {
    test.setTimeout(120_000);
    first = await startServer(ENV);
    const as = await discover(first.baseURL);
    const { client, agent } = await signedInAgent(first, as);
    const back = new Backchannel(as, client);

    const delivered: Delivered = { accessTokens: [], families: [], spentCodes: [], unredeemedCodes: [] };
    let killing = false;
    /** An error once the kill has begun is the kill's; before it, a failure of the test. */
    const unlessKilled = (error: unknown) => {
      if (!killing) throw error;
    };

    const worker = async (w: number) => {
      for (let n = 0; !killing; n++) {
        const pending = await authorizationRequest(as, client);
        let response: Response;
        try {
          response = await agent.get(pending.url);
        } catch (error) {
          return unlessKilled(error);
        }
        expect(response.status).toBe(302);
        const grant = { params: back.callback(locationOf(response, first!.baseURL), pending.state), pending };
        // Every fourth code is kept unredeemed: it must still redeem after the restart.
        if ((n + w) % 4 === 3) {
          delivered.unredeemedCodes.push(grant);
          continue;
        }
        let tokens: oauth.TokenEndpointResponse;
        try {
          tokens = await back.exchange(grant.params, pending);
        } catch (error) {
          return unlessKilled(error);
        }
        delivered.spentCodes.push(grant);
        delivered.accessTokens.push(tokens.access_token);
        const family = { latest: tokens.refresh_token!, lost: false, accessToken: tokens.access_token, refreshes: 0 };
        delivered.families.push(family);
        for (let r = 0; r < 3; r++) {
          try {
            const next = await back.refresh(family.latest);
            family.latest = next.refresh_token!;
            family.accessToken = next.access_token;
            family.refreshes++;
            delivered.accessTokens.push(next.access_token);
          } catch (error) {
            // The refresh may have been committed without its answer reaching the client (issue 12, item 11):
            // the client holds a rotated token, which this strict server treats as reuse. Left out below.
            family.lost = true;
            return unlessKilled(error);
          }
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, w) => worker(w));
    await expect.poll(() => delivered.families.length, { timeout: 20_000, intervals: [100] }).toBeGreaterThanOrEqual(24);
    killing = true;
    await first.kill("SIGKILL");
    await Promise.all(workers);

    test.info().annotations.push({
      type: "load before the kill",
      description: `${delivered.accessTokens.length} access tokens, ${delivered.families.length} families (${delivered.families.filter((f) => f.lost).length} with a refresh unanswered), ${delivered.spentCodes.length} spent and ${delivered.unredeemedCodes.length} unredeemed codes`,
    });
    const file = path.resolve(ROOT, first.databaseUrl.slice("file:".length));
    const check = new Database(file);
    try {
      expect(check.pragma("integrity_check")).toEqual([{ integrity_check: "ok" }]);
    } finally {
      check.close();
    }

    again = await startServer(ENV, { port: Number(new URL(first.baseURL).port), shareDatabaseWith: first });
    const back2 = new Backchannel(as, client);

    // Every token response that reached the client had its events stored before it was sent (group commit,
    // lib/events.ts): the run shows the code's exchange and every refresh the client was answered.
    const stored = await Promise.all(
      delivered.families.map(async (f) => {
        const r = await fetch(`${again!.baseURL}/api/flow-events`, { headers: { Authorization: `Bearer ${f.accessToken}` } });
        const { events } = (await r.json()) as { events: { role: string; name: string }[] };
        const named = (name: string) => events.filter((e) => e.role === "authorization-server" && e.name === name).length;
        return { exchanged: named("Tokens issued for the code"), refreshed: named("Refresh token rotated, new access token issued"), f };
      }),
    );
    expect(stored.filter((s) => s.exchanged !== 1 || s.refreshed < s.f.refreshes).map((s) => ({ ...s, f: s.f.refreshes }))).toEqual([]);

    // Every access token delivered before the kill is accepted by the API.
    const api = await Promise.all(
      delivered.accessTokens.map((token) =>
        fetch(`${again!.baseURL}/api/me`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status),
      ),
    );
    expect(
      api.filter((s) => s !== 200),
      `${api.length} access tokens`,
    ).toEqual([]);

    // The latest refresh token of each family refreshes (a family whose last answer was lost is item 11's).
    const families = delivered.families.filter((f) => !f.lost);
    const refreshed = await Promise.all(families.map((f) => back2.refreshRaw(f.latest).then((r) => r.status)));
    expect(
      refreshed.filter((s) => s !== 200),
      `${families.length} families`,
    ).toEqual([]);

    // A code issued before the kill and never redeemed still redeems: the spent ones below are refused for being spent.
    const unredeemed = await Promise.all(
      delivered.unredeemedCodes.map((g) =>
        back2.exchangeRaw(g.params, g.pending.redirectUri, g.pending.codeVerifier).then((r) => r.status),
      ),
    );
    expect(
      unredeemed.filter((s) => s !== 200),
      `${unredeemed.length} unredeemed codes`,
    ).toEqual([]);

    // Every spent code stays spent (last: a replay revokes what the code produced).
    const replays = await Promise.all(
      delivered.spentCodes.map(async (g) => {
        const response = await back2.exchangeRaw(g.params, g.pending.redirectUri, g.pending.codeVerifier);
        return `${response.status} ${((await response.json()) as { error?: string }).error}`;
      }),
    );
    expect(
      replays.filter((r) => r !== "400 invalid_grant"),
      `${replays.length} spent codes`,
    ).toEqual([]);
    expect(delivered.accessTokens.length).toBeGreaterThanOrEqual(48);
    expect(delivered.unredeemedCodes.length).toBeGreaterThan(0);
  });
});

test.describe("PostgreSQL stopped and started again under load", () => {
  test.skip(!e2ePostgresUrl(), "needs PostgreSQL: run `npm run test:postgres`");

  let postgres: ThrowawayPostgres | undefined;
  let server: TestServer | undefined;
  test.afterAll(async () => {
    await server?.stop();
    postgres?.stop();
  });

  test("while the database is gone every answer is 503 temporarily_unavailable, never a 500 or a hang; it recovers by itself", async () => {
    test.setTimeout(120_000);
    // A PostgreSQL server of this test's own: the other tests' server stays up.
    postgres = await startThrowawayPostgres();
    const databaseUrl = new URL(postgres.url);
    databaseUrl.pathname = "/outage";
    server = await startServer(ENV, { databaseUrl: databaseUrl.href });
    const as = await discover(server.baseURL);
    const { client, agent } = await signedInAgent(server, as);
    const back = new Backchannel(as, client);

    type Answer = { what: string; status: number; error?: string; retryAfter?: string | null; ms: number; down: boolean };
    const answers: Answer[] = [];
    let down = false;
    let stopping = false;
    /** Every request must be answered well within the app's database timeouts (lib/db.ts): no hang. */
    const DEADLINE_MS = 12_000;
    const timed = async (what: string, request: () => Promise<Response>): Promise<Response | undefined> => {
      const started = Date.now();
      const wasDown = down;
      // -1: no answer within the deadline (a hang); 0: the connection failed (the app is gone).
      const response = await Promise.race([
        request().catch(() => null),
        new Promise<undefined>((resolve) => setTimeout(resolve, DEADLINE_MS)),
      ]);
      const answer: Answer = {
        what,
        status: response === null ? 0 : (response?.status ?? -1),
        ms: Date.now() - started,
        down: wasDown && down,
      };
      if (response && response.status >= 400 && response.headers.get("content-type")?.includes("json")) {
        answer.error = ((await response.clone().json()) as { error?: string }).error;
        answer.retryAfter = response.headers.get("retry-after");
      }
      if (response?.status === 302) answer.error = new URL(response.headers.get("location")!).searchParams.get("error") ?? undefined;
      answers.push(answer);
      return response ?? undefined;
    };

    /** One client: a grant, the API, refreshes; during the outage it keeps calling with the tokens it holds. */
    const worker = async () => {
      let held: { access: string; refresh: string } | undefined;
      while (!stopping) {
        const pending = await authorizationRequest(as, client);
        const authorized = await timed("authorize", () => agent.get(pending.url));
        const callback = authorized?.status === 302 ? locationOf(authorized, server!.baseURL) : undefined;
        if (callback?.searchParams.has("code")) {
          const exchanged = await timed("token (code)", () =>
            back.exchangeRaw(back.callback(callback, pending.state), pending.redirectUri, pending.codeVerifier),
          );
          if (exchanged?.status === 200) {
            const body = (await exchanged.json()) as { access_token: string; refresh_token: string };
            held = { access: body.access_token, refresh: body.refresh_token };
          }
        }
        if (!held) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const token = held.access;
        await timed("api", () => fetch(`${server!.baseURL}/api/me`, { headers: { Authorization: `Bearer ${token}` } }));
        if (down) {
          // Neither says what it cannot know: not "invalid token" (401), not "revoked" (200, RFC 7009 §2.2.1 allows 503).
          await timed("userinfo", () => back.userinfoRaw(token));
          await timed("revoke", () =>
            fetch(as.revocation_endpoint!, {
              method: "POST",
              headers: { "Content-Type": "application/x-www-form-urlencoded" },
              body: new URLSearchParams({
                token,
                token_type_hint: "access_token",
                client_id: client.id,
                client_secret: SECRETS.walkthrough,
              }),
            }),
          );
        }
        const refreshed = await timed("token (refresh)", () => back.refreshRaw(held!.refresh));
        if (refreshed?.status === 200) {
          const body = (await refreshed.json()) as { access_token: string; refresh_token: string };
          held = { access: body.access_token, refresh: body.refresh_token };
        } else if (!down) {
          held = undefined; // a refresh answered 503 as the database went away may still have rotated: start a new grant
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const workers = Array.from({ length: 4 }, () => worker());
    await expect
      .poll(() => answers.filter((a) => a.what === "api" && a.status === 200).length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(8);

    postgres.halt();
    down = true;
    await expect
      .poll(() => answers.filter((a) => a.down && a.status === 503 && a.what.startsWith("token")).length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(4);
    await expect
      .poll(() => answers.filter((a) => a.down && a.status === 503 && a.what === "api").length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(2);
    down = false;
    postgres.resume();
    const resumedAt = answers.length;

    // Recovered without a restart: complete flows succeed again on the same server process.
    await expect
      .poll(() => answers.slice(resumedAt).filter((a) => a.what === "token (refresh)" && a.status === 200).length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(4);
    stopping = true;
    await Promise.all(workers);

    const summary = (list: Answer[]) => [...new Set(list.map((a) => `${a.what} ${a.status} ${a.error ?? ""}`.trim()))].sort();
    const counted = new Map<string, number>();
    for (const a of answers)
      counted.set(
        `${a.what} ${a.status} ${a.error ?? ""}${a.down ? " (database down)" : ""}`.trim(),
        (counted.get(`${a.what} ${a.status} ${a.error ?? ""}${a.down ? " (database down)" : ""}`.trim()) ?? 0) + 1,
      );
    test.info().annotations.push({
      type: "answers",
      description: [...counted]
        .map(([k, n]) => `${n}× ${k}`)
        .sort()
        .join("; "),
    });
    expect(
      answers.filter((a) => a.status <= 0),
      "requests that hung or were not answered",
    ).toEqual([]);
    expect(summary(answers.filter((a) => a.status >= 500 && a.status !== 503)), "5xx other than 503").toEqual([]);
    // Every 503 says why, and when to come back; an authorization request gets the error as a redirect once the
    // client is verified (RFC 6749 §4.1.2.1), else a 503 error page.
    const unavailable = answers.filter((a) => a.status === 503 && a.what !== "authorize");
    expect(summary(unavailable.filter((a) => a.error !== "temporarily_unavailable" || a.retryAfter !== "5"))).toEqual([]);
    expect(summary(answers.filter((a) => a.status === 302 && a.error && a.error !== "temporarily_unavailable"))).toEqual([]);
    expect(summary(answers.filter((a) => a.down && ["userinfo", "revoke"].includes(a.what) && a.status !== 503))).toEqual([]);
    expect(answers.filter((a) => a.down && a.what === "revoke").length).toBeGreaterThan(0);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(DEADLINE_MS);
  });
});
