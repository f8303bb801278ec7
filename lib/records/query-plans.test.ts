/**
 * Every hot query seeks through an index, never scans its table (issue 15, "Cost as the data grows").
 *
 * Each query is run through its own records function on a Prisma client that logs every statement it
 * sends ($on("query"), which works with the JavaScript engine and the driver adapters: the SQL and the
 * parameters as the adapter gets them). The client has no direct SQLite connections (hot-sql.ts), so
 * the hot SQL goes through Prisma's $queryRaw too: the same statement text hot-sql.ts prepares. Each
 * statement is then explained on the same database:
 * - SQLite: `EXPLAIN QUERY PLAN` must SEARCH (an index or the primary key), never `SCAN <table>`
 *   (`SCAN sub` is Prisma's count reading its own sub-select's rows, which did seek).
 * - PostgreSQL (TEST_POSTGRES_URL): with enable_seqscan on, a plan on a small table tells nothing, so
 *   the database is filled first (the bench's fill, scaled down) and analyzed; `EXPLAIN` must show no
 *   `Seq Scan` on the tables the query reads.
 */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fillUrl, type FillSize } from "../../scripts/bench/fill";
import { createTestDatabase, type TestDatabase } from "../../test/support/db";
import { sqliteFilename } from "../database-url";
import { PrismaClient, type Prisma } from "../generated/prisma/client";
import { accessTokensOfRun, accessTokenState, lastIssuedAccessTokens } from "./access-token";
import { codeByHash, codesOfRun, consumeAuthorizationCode, insertAuthorizationCode, runOfCode } from "./authorization-code";
import { clientById } from "./client";
import { consentScope, consentsOfUser } from "./consent";
import { anyEventUpTo, eventsAfter, eventsOfRun, insertEvents, newestEvents, runEventsNamed, runHasEvent } from "./flow-event";
import { expireRun, insertGrantTokens, revokeGrantRows, revokeUserClientRows } from "./grant";
import { deleteInstructorSessions, instructorSessionByHash } from "./instructor-session";
import { consumeInteraction, interactionById } from "./interaction";
import { countAttemptsSince } from "./login-attempt";
import { noteOf, notesOf } from "./note";
import { pruneDeadRows } from "./prune";
import { refreshTokenByHash, refreshTokensOfRun, revokeUnusedSuccessor, rotateRefreshToken, runOfRefreshToken } from "./refresh-token";
import { sessionByTokenHash } from "./session";
import { userByUsername, userProfile } from "./user";

/** Enough rows that PostgreSQL's planner prefers an index wherever one serves (a small table is read whole). */
const SIZE: FillSize = { events: 60_000, grants: 20_000, clients: 2_000, users: 1_000, runs: 2_000 };
const NOW = new Date("2026-12-04T12:00:00.000Z");
const HASH = "h".repeat(43);

type Explained = { sql: string; plan: string[] };

/**
 * Plans that name a scan but read a bounded few rows: the newest events (ORDER BY the primary key
 * DESC, LIMIT), which SQLite reads from the end of its rowid tree and stops after LIMIT (+ OFFSET) rows,
 * with no sort (no temporary B-tree). PostgreSQL calls the same an Index Scan Backward.
 */
const boundedScan = (e: Explained) =>
  /ORDER BY [`"\w.]*"?id"?`? DESC\s+LIMIT/i.test(e.sql) && e.plan.every((line) => /^SCAN (main\.)?FlowEvent$/.test(line));

describe("the hot queries' plans", () => {
  let t: TestDatabase;
  let logged: PrismaClient;
  let explain: (sql: string, params: unknown[]) => Promise<string[]>;
  let closeExplain: () => Promise<void>;
  let sent: { sql: string; params: unknown[] }[] = [];
  const sqlite = () => t.url.startsWith("file:");

  beforeAll(async () => {
    t = await createTestDatabase();
    await fillUrl(t.url, SIZE, NOW);
    const log = [{ emit: "event", level: "query" }] as const;
    if (sqlite()) {
      logged = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: sqliteFilename(t.url) }), log: [...log] });
      const raw = new Database(sqliteFilename(t.url), { readonly: true });
      explain = async (sql, params) =>
        (
          raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params.map((p) => (typeof p === "boolean" ? Number(p) : p))) as {
            detail: string;
          }[]
        ).map((r) => r.detail);
      closeExplain = async () => void raw.close();
    } else {
      const [{ PrismaPg }, { PrismaClient: PostgresClient }] = await Promise.all([
        import("@prisma/adapter-pg"),
        import("../generated/prisma-pg/client"),
      ]);
      logged = new PostgresClient({ adapter: new PrismaPg({ connectionString: t.url }), log: [...log] }) as unknown as PrismaClient;
      // Rows the fill leaves out or few (one instructor, the walkthrough's runs), so that their tables are not tiny either.
      const client = new pg.Client({ connectionString: t.url });
      await client.connect();
      await client.query(`INSERT INTO "InstructorSession" ("tokenHash", "expiresAt")
        SELECT 'instructor-' || i, timestamp '2026-12-04 13:00' FROM generate_series(1, 5000) AS s(i)`);
      await client.query(`INSERT INTO "WalkthroughRun" ("id", "keyHash", "correlationId", "data", "updatedAt")
        SELECT 'run-' || i, 'key-' || i, 'walkthrough-run-' || i, '{}', timestamp '2026-12-04 11:59' FROM generate_series(1, 5000) AS s(i)`);
      await client.query("ANALYZE");
      explain = async (sql, params) => (await client.query(`EXPLAIN ${sql}`, params)).rows.map((r) => String(r["QUERY PLAN"]));
      closeExplain = () => client.end();
    }
    // Typed as the records take it (no log events); the client was made with them.
    const withEvents = logged as unknown as { $on(event: "query", listener: (e: Prisma.QueryEvent) => void): void };
    withEvents.$on("query", (e) => {
      let params: unknown[] = [];
      try {
        params = JSON.parse(e.params) as unknown[];
      } catch {
        /* none */
      }
      sent.push({ sql: e.query, params });
    });
  }, 120_000);

  afterAll(async () => {
    await closeExplain?.();
    await logged?.$disconnect();
    await t?.close();
  });

  /** Runs `query`, explains every statement it sent (transactions' BEGIN and COMMIT aside). */
  async function plansOf(query: (db: PrismaClient) => Promise<unknown>): Promise<Explained[]> {
    sent = [];
    await query(logged);
    if (process.env.SHOW_PLANS)
      for (const s of sent)
        console.log(`${s.sql.replace(/\s+/g, " ").slice(0, 300)}\n  ${(await explain(s.sql, s.params).catch(() => [])).join("\n  ")}`);
    const statements = sent.filter((s) => /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(s.sql));
    expect(statements.length, "the query sent no statement").toBeGreaterThan(0);
    return Promise.all(statements.map(async (s) => ({ sql: s.sql.replace(/\s+/g, " ").trim(), plan: await explain(s.sql, s.params) })));
  }

  /** Every statement seeks: no SCAN of a table (SQLite), no Seq Scan on any of `tables` (PostgreSQL). */
  function expectNoScan(explained: Explained[], tables: string[]) {
    for (const e of explained) {
      const scans = sqlite()
        ? e.plan.filter((line) => /^SCAN /.test(line) && !/^SCAN ((\d+ )?CONSTANT ROWS?|sub)$/.test(line) && !boundedScan(e))
        : e.plan.filter((line) => tables.some((table) => line.includes(`Seq Scan on "${table}"`)));
      expect(scans, `${e.sql}\n${e.plan.join("\n")}`).toEqual([]);
      // Reads and conditional writes name an index or the primary key they seek by.
      if (sqlite() && /\bWHERE\b/i.test(e.sql) && !boundedScan(e)) {
        expect(
          e.plan.some((line) => /^SEARCH .* USING (INDEX|COVERING INDEX|PRIMARY KEY|INTEGER PRIMARY KEY)/.test(line)),
          `${e.sql}\n${e.plan.join("\n")}`,
        ).toBe(true);
      }
    }
  }

  const only = { clientId: "fill-client-7" };
  const run = "fill-run-7";
  const cases: [string, string[], (db: PrismaClient) => Promise<unknown>][] = [
    ["session by token hash", ["Session"], (db) => sessionByTokenHash(db, HASH)],
    ["consent by user and client", ["Consent"], (db) => consentScope(db, "fill-user-7", "fill-client-7")],
    [
      "code insert",
      ["AuthorizationCode"],
      (db) =>
        insertAuthorizationCode(db, {
          codeHash: "plan-code",
          correlationId: run,
          clientId: "fill-client-7",
          userId: "fill-user-7",
          redirectUri: "https://client.example/callback",
          scope: "openid",
          codeChallenge: HASH,
          nonce: null,
          authTime: NOW,
          expiresAt: new Date(NOW.getTime() + 60_000),
          createdAt: NOW,
        }),
    ],
    ["code consume by hash", ["AuthorizationCode"], (db) => consumeAuthorizationCode(db, "plan-code", "fill-client-7", NOW)],
    [
      "code by hash (why it could not be consumed, its run)",
      ["AuthorizationCode"],
      (db) => Promise.all([codeByHash(db, HASH), runOfCode(db, HASH)]),
    ],
    [
      "grant lock by id and the new tokens",
      ["AuthorizationCode"],
      (db) =>
        insertGrantTokens(db, {
          access: {
            jti: "plan-jti",
            grantId: "fill-grant-7",
            correlationId: run,
            clientId: "fill-client-7",
            userId: "fill-user-7",
            scope: "openid",
            expiresAt: NOW,
            createdAt: NOW,
          },
          refresh: {
            tokenHash: "plan-refresh",
            grantId: "fill-grant-7",
            correlationId: run,
            clientId: "fill-client-7",
            userId: "fill-user-7",
            scope: "openid",
            authTime: NOW,
            expiresAt: NOW,
            createdAt: NOW,
          },
        }),
    ],
    ["refresh rotate by hash", ["RefreshToken"], (db) => rotateRefreshToken(db, HASH, "fill-client-7", NOW)],
    [
      "refresh token by hash (reuse, its run), its unused successor",
      ["RefreshToken"],
      (db) => Promise.all([refreshTokenByHash(db, HASH), runOfRefreshToken(db, HASH), revokeUnusedSuccessor(db, "fill-grant-8", NOW, NOW)]),
    ],
    ["access-token state by jti", ["AccessToken"], (db) => accessTokenState(db, "plan-jti")],
    ["grant revocation by id", ["AuthorizationCode", "AccessToken", "RefreshToken"], (db) => revokeGrantRows(db, "fill-grant-9", NOW)],
    [
      "a user's grants and when each client last got a token (/grants)",
      ["Consent", "Client", "AccessToken"],
      (db) =>
        Promise.all([consentsOfUser(db, "fill-user-7"), lastIssuedAccessTokens(db, "fill-user-7", ["fill-client-7", "fill-client-8"])]),
    ],
    [
      "a user's grants of a client revoked (/grants: Revoke access)",
      ["Consent", "AuthorizationCode", "AccessToken", "RefreshToken"],
      (db) => revokeUserClientRows(db, "fill-user-7", "fill-client-7", NOW),
    ],
    ["events of a run after an id", ["FlowEvent"], (db) => eventsOfRun(db, run, 100, {}, 500)],
    ["events of a run after an id, one client's", ["FlowEvent"], (db) => eventsOfRun(db, run, 100, only, 500)],
    [
      "events of a run by name (flow-state causes, the grant checks)",
      ["FlowEvent"],
      (db) =>
        Promise.all([
          runEventsNamed(db, { correlationId: run, role: "authorization-server", names: ["token_request", "token_response"], ...only }, 50),
          runHasEvent(db, { correlationId: run, role: "authorization-server", names: ["token_response"], outcome: "ok" }),
        ]),
    ],
    [
      "an event insert",
      ["FlowEvent"],
      (db) =>
        insertEvents(db, [
          { at: NOW, correlationId: run, role: "client", step: 1, name: "x", outcome: "ok", clientId: null, userId: null, data: "{}" },
        ]),
    ],
    [
      "a run's codes and tokens (flow-state)",
      ["AuthorizationCode", "AccessToken", "RefreshToken"],
      (db) =>
        Promise.all([
          codesOfRun(db, { correlationId: run, ...only }, 50),
          accessTokensOfRun(db, { correlationId: run }, 50),
          refreshTokensOfRun(db, { correlationId: run, ...only }, 50),
        ]),
    ],
    [
      "a run expired now (the instructor)",
      ["AuthorizationCode", "AccessToken"],
      (db) => expireRun(db, { correlationId: run, ...only }, NOW),
    ],
    ["notes of a user", ["Note"], (db) => Promise.all([notesOf(db, "fill-user-7", 50), noteOf(db, "fill-user-7", "fill-note-7")])],
    [
      "login attempts by key since",
      ["LoginAttempt"],
      (db) => countAttemptsSince(db, "user:fill-user-7", new Date(NOW.getTime() - 900_000)),
    ],
    [
      "interaction by id, consumed",
      ["Interaction"],
      (db) => Promise.all([interactionById(db, "fill-interaction-7"), consumeInteraction(db, "fill-interaction-8", NOW)]),
    ],
    [
      "instructor session by hash, sign-out",
      ["InstructorSession"],
      (db) => Promise.all([instructorSessionByHash(db, HASH), deleteInstructorSessions(db, NOW, HASH)]),
    ],
    [
      "the instructor's stream (newest, after an id, any up to an id)",
      ["FlowEvent"],
      (db) => Promise.all([newestEvents(db, 200), eventsAfter(db, 59_000, 500), anyEventUpTo(db, 10)]),
    ],
    [
      "client and user by id, user by name",
      ["Client", "User"],
      (db) => Promise.all([clientById(db, "fill-client-7"), userProfile(db, "fill-user-7"), userByUsername(db, "alice")]),
    ],
    [
      "the purge's deletes",
      [
        "WalkthroughRun",
        "Interaction",
        "Session",
        "InstructorSession",
        "LoginAttempt",
        "AccessToken",
        "RefreshToken",
        "AuthorizationCode",
        "FlowEvent",
      ],
      (db) =>
        pruneDeadRows(db, sqlite() ? "sqlite" : "postgresql", {
          now: NOW,
          eventRetentionMs: 24 * 3_600_000,
          attemptWindowMs: 15 * 60_000,
          walkthroughRunLifetimeMs: 3_600_000,
          keepNewestEvents: 1000,
          grantLifetimeMs: 25 * 3_600_000,
        }),
    ],
  ];

  it("the purge finds dead rows by their cutoff column, not by walking the primary key (SQLite)", async () => {
    if (!sqlite()) return;
    const explained = await plansOf(cases.at(-1)![2]);
    const deletes = explained.filter((e) => e.sql.startsWith("DELETE"));
    expect(deletes).toHaveLength(11);
    for (const e of deletes)
      expect(
        e.plan.some((line) =>
          /^SEARCH t USING (COVERING )?INDEX \w+_(expiresAt|at|createdAt)(_\w+)?_idx \((expiresAt|at|createdAt)<\?\)$/.test(line),
        ),
        `${e.sql}\n${e.plan.join("\n")}`,
      ).toBe(true);
  });

  for (const [name, tables, query] of cases) {
    it(`${name}: seeks, never scans`, async () => {
      expectNoScan(await plansOf(query), tables);
    });
  }

  it("would see a scan (a query by a column with no index)", async () => {
    const explained = await plansOf((db) => db.flowEvent.findFirst({ where: { data: "{}" } }));
    expect(() => expectNoScan(explained, ["FlowEvent"])).toThrow();
  });
});
