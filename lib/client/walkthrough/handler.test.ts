import { createLocalJWKSet } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { handleToken } from "../../authorization-server/token-endpoint";
import { handleRevocation } from "../../authorization-server/revocation";
import { handleIntrospection } from "../../authorization-server/introspection";
import { handleFlowEvents } from "../../authorization-server/flow-events";
import { handleFlowState } from "../../authorization-server/flow-state";
import { registerClient } from "../../authorization-server/registration";
import { getKeys } from "../../authorization-server/keys";
import { serverMetadata } from "../../authorization-server/metadata";
import { listEvents, recordEvent } from "../../events";
import { me } from "../../resource-server/me";
import { listNotes } from "../../resource-server/notes";
import { serveProtected } from "../../resource-server/protected-resource";
import { createTestDatabase, insertCode, seedClient, seedUser, testContext, type TestDatabase } from "../../../test/support/db";
import type { WalkthroughContext } from "./context";
import { handleAction, handleCallback } from "./handler";
import type { Fetch } from "../core/recorded-fetch";
import { prismaRunStore, type StoredRun } from "./run-store";
import { runKeyHash } from "./runs-cookie";
import { diagramRows } from "./sequence";
import { loadWalkthrough } from "./view";
import { accessTokenRecordsIn } from "../../records/access-token";
import { dpopServices } from "../../dpop-services";

/**
 * The walkthrough client against the real authorization server and API, in process: its fetch is
 * routed straight to their handlers (STYLE.md: a Web Request in, a Response out), so the whole back
 * channel runs without a server. The front channel (login and consent) is replaced by inserting the
 * code the authorization server would have issued for the run's PKCE challenge and nonce.
 */

const ISSUER = "http://localhost:3000";
const SECRET = "walkthrough-demo-secret";
const REDIRECT = `${ISSUER}/walkthrough/callback`;

let t: TestDatabase;
let userId: string;
let clock: number;
let ctx: WalkthroughContext;

/** The authorization server and the API, as one fake network. */
function network(): Fetch {
  return async (input, init) => {
    const request = new Request(input as string, init);
    const url = new URL(request.url);
    const as = testContext(t.db, new Date(clock));
    const rs = {
      ...as,
      keys: createLocalJWKSet((await getKeys(t.db)).jwks),
      tokenRecords: accessTokenRecordsIn(t.db),
      introspect: async () => ({ active: false }),
      dpop: dpopServices(t.db, as.config, as.now),
    };
    switch (`${request.method} ${url.origin}${url.pathname}`) {
      case `GET ${ISSUER}/.well-known/openid-configuration`:
        return Response.json(serverMetadata(as.config));
      case `GET ${ISSUER}/oauth/jwks`:
        return Response.json((await getKeys(t.db)).jwks);
      case `POST ${ISSUER}/oauth/token`:
        return handleToken(request, as);
      case `POST ${ISSUER}/oauth/revoke`:
        return handleRevocation(request, as);
      case `POST ${ISSUER}/oauth/introspect`:
        return handleIntrospection(request, as);
      case `POST ${ISSUER}/api/flow-events`:
        return handleFlowEvents(request, as);
      case `POST ${ISSUER}/api/flow-state`:
        return handleFlowState(request, as);
      case `GET ${ISSUER}/api/me`:
        return serveProtected(request, rs, me);
      case `GET ${ISSUER}/api/notes`:
        return serveProtected(request, rs, listNotes);
      default:
        return new Response("not found", { status: 404 });
    }
  };
}

beforeAll(async () => {
  t = await createTestDatabase();
  userId = (await seedUser(t.db)).id;
  await seedClient(t.db, {
    id: "walkthrough",
    secret: SECRET,
    authMethod: "client_secret_post",
    redirectUris: [REDIRECT],
    scopes: ["openid", "profile", "email", "offline_access", "notes:read", "notes:write"],
  });
  await seedClient(t.db, {
    id: "other",
    secret: "other-secret-0123456789",
    authMethod: "client_secret_post",
    redirectUris: ["https://other.example/cb"],
    scopes: ["openid"],
  });
  ctx = {
    client: {
      clientId: "walkthrough",
      clientSecret: SECRET,
      appUrl: ISSUER,
      redirectUri: REDIRECT,
      issuer: ISSUER,
      resourceServerUrl: ISSUER,
      secureCookies: false,
    },
    store: prismaRunStore(t.db),
    record: (event) => recordEvent(t.db, event),
    ownEvents: (id) => listEvents(t.db, id),
    fetch: network(),
    now: () => new Date(clock),
  };
});

beforeEach(() => {
  clock = Date.now();
});

afterAll(async () => {
  await t?.close();
});

/** A browser: its cookie jar holds the walkthrough's run keys. */
class Browser {
  cookie = "";

  private remember(response: Response) {
    const set = response.headers.get("set-cookie");
    if (set) this.cookie = set.split(";")[0];
  }

  async press(intent: string, fields: Record<string, string> = {}, headers: Record<string, string> = { "sec-fetch-site": "same-origin" }) {
    const response = await handleAction(
      new Request(`${ISSUER}/walkthrough/action`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: this.cookie, ...headers },
        body: new URLSearchParams({ intent, ...fields }),
      }),
      ctx,
    );
    this.remember(response);
    return response;
  }

  async start(): Promise<string> {
    const response = await this.press("start");
    expect(response.status).toBe(303);
    return new URL(response.headers.get("location")!).searchParams.get("run")!;
  }

  callback(query: Record<string, string>) {
    return handleCallback(new Request(`${REDIRECT}?${new URLSearchParams(query)}`, { headers: { cookie: this.cookie } }), ctx);
  }

  async run(id: string): Promise<StoredRun> {
    const runs = await ctx.store.list(
      this.cookie
        .replace(/^walkthrough_runs=/, "")
        .split(".")
        .filter(Boolean)
        .map(runKeyHash),
    );
    return runs.find((r) => r.id === id)!;
  }
}

/** What the authorization server's front channel would have done for this run: a code for its challenge and nonce. */
async function issueCodeFor(run: StoredRun, scope = "openid profile offline_access notes:read") {
  const { code } = await insertCode(t.db, {
    clientId: "walkthrough",
    userId,
    redirectUri: REDIRECT,
    scope,
    codeChallenge: run.data.codeChallenge,
    nonce: run.data.nonce,
    expiresAt: new Date(clock + 60_000),
    correlationId: run.correlationId,
  });
  return code;
}

async function runWithTokens(browser = new Browser()) {
  const id = await browser.start();
  const code = await issueCodeFor(await browser.run(id));
  await browser.callback({ code, state: (await browser.run(id)).data.state, iss: ISSUER });
  await browser.press("exchange", { run: id });
  return { browser, id, code };
}

describe("a run from start to revocation, through the real handlers", () => {
  it("starts a run in an httpOnly, SameSite=Lax cookie on /walkthrough holding only a key", async () => {
    const browser = new Browser();
    const response = await browser.press("start");
    expect(response.status).toBe(303);
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^walkthrough_runs=[\w-]{43}; Path=\/walkthrough; HttpOnly; SameSite=Lax; Max-Age=86400$/);
    const id = new URL(response.headers.get("location")!).searchParams.get("run")!;
    const run = await browser.run(id);
    expect(run.data).toMatchObject({ scopes: ["openid", "profile", "offline_access", "notes:read"], log: [] });
    // Only the key's hash is stored.
    const key = cookie.split(";")[0].split("=")[1];
    expect(await t.db.walkthroughRun.count({ where: { keyHash: key } })).toBe(0);
    expect(await t.db.walkthroughRun.count({ where: { keyHash: runKeyHash(key) } })).toBe(1);
  });

  it("sends the browser to the discovered authorization endpoint and records step 1", async () => {
    const browser = new Browser();
    const id = await browser.start();
    const response = await browser.press("authorize", { run: id, scope: "openid", prompt: "consent" });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location")!);
    const run = await browser.run(id);
    expect(`${location.origin}${location.pathname}`).toBe(`${ISSUER}/oauth/authorize`);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      client_id: "walkthrough",
      redirect_uri: REDIRECT,
      scope: "openid",
      state: run.data.state,
      nonce: run.data.nonce,
      code_challenge: run.data.codeChallenge,
      code_challenge_method: "S256",
      prompt: "consent",
    });
    expect(run.data.sentAt).toBeDefined();
    const events = await listEvents(t.db, run.correlationId);
    // Step 1's message is the client's 303 to the browser, whose Location is the authorization URL.
    expect(events).toMatchObject([
      {
        role: "client",
        step: 1,
        detail: { from: "client", to: "browser" },
        http: {
          request: { method: "POST", url: `${ISSUER}/walkthrough/action` },
          response: { status: 303, headers: { location: location.href } },
        },
      },
    ]);
  });

  it("exchanges the code, validates the ID token, calls the API, refreshes, and revokes", async () => {
    const { browser, id } = await runWithTokens();
    let run = await browser.run(id);
    expect(run.data.callback?.verdict.outcome).toBe("code");
    expect(run.data.exchange?.ok).toBe(true);
    expect(run.data.exchange?.exchange.request.body).toMatchObject({
      grant_type: "authorization_code",
      client_secret: "walk••••",
      redirect_uri: REDIRECT,
    });
    expect(run.data.exchange?.exchange.response?.headers["cache-control"]).toBe("no-store");
    expect(run.data.idTokenChecks?.valid).toBe(true);
    const first = run.data.tokens!;
    expect(first.refreshToken).toBeDefined();

    await browser.press("call-api", { run: id });
    run = await browser.run(id);
    expect(run.data.log.at(-1)).toMatchObject({ kind: "api", outcome: "ok", summary: "GET /api/me → 200; GET /api/notes → 200." });
    expect(run.data.log.at(-1)!.exchanges[0].exchange.request.headers.Authorization).toMatch(/^Bearer eyJhbG…\(\d+ chars\)$/);

    await browser.press("refresh", { run: id });
    run = await browser.run(id);
    expect(run.data.log.at(-1)).toMatchObject({ kind: "refresh", outcome: "ok" });
    expect(run.data.tokens!.refreshToken).not.toBe(first.refreshToken);
    expect(run.data.tokens!.accessToken).not.toBe(first.accessToken);
    expect(run.data.firstAccessToken?.token).toBe(first.accessToken);

    await browser.press("revoke", { run: id });
    run = await browser.run(id);
    expect(run.data.log.at(-1)).toMatchObject({ kind: "revoke", outcome: "ok" });
    expect(run.data.log.at(-1)!.summary).toBe(
      "POST revocation endpoint → 200; then GET /api/me → 401 invalid_token: the API refuses the token now.",
    );

    // Nothing the page or the events show holds the secret or a whole token.
    const shown = JSON.stringify({ exchange: run.data.exchange, log: run.data.log, events: await listEvents(t.db, run.correlationId) });
    for (const secret of [
      SECRET,
      first.accessToken,
      first.refreshToken!,
      first.idToken!,
      run.data.tokens!.accessToken,
      run.data.tokens!.refreshToken!,
    ]) {
      expect(shown).not.toContain(secret);
    }
  });

  it("draws the run from the client's and the servers' events in protocol order", async () => {
    const { browser, id } = await runWithTokens();
    await browser.press("call-api", { run: id });
    const view = await loadWalkthrough(ctx, browser.cookie, { run: id });
    if (view.kind !== "run") throw new Error(view.kind);
    const names = view.rows.map((r) => `${r.step} ${r.from}→${r.to} ${r.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        "3 browser→client Browser brought the authorization response to the redirect URI",
        "3 client→client Client checked state and iss: response accepted",
        "4 client→authorization-server Client exchanged the code for tokens (back channel)",
        "5 authorization-server→client Tokens issued for the code",
        "5 client→client Client validated the ID token: valid",
        "6 client→resource-server Client called GET /api/me with the access token",
      ]),
    );
    const index = (name: string) => names.findIndex((n) => n.includes(name));
    expect(index("Client exchanged the code")).toBeLessThan(index("Tokens issued for the code"));
    expect(index("Tokens issued for the code")).toBeLessThan(index("Client validated the ID token"));
    expect(view.current).toEqual([6, 7]);
    expect(view.code?.lifetimeSeconds).toBeUndefined(); // the test inserted the code: no step-3 event of the server
  });

  it("a replayed code is refused with invalid_grant, and the API and introspection then refuse the earlier tokens", async () => {
    const { browser, id } = await runWithTokens();
    await browser.press("replay", { run: id });
    const attempt = (await browser.run(id)).data.log.at(-1)!;
    expect(attempt.kind).toBe("replay");
    expect(attempt.summary).toContain("POST /oauth/token → 400 invalid_grant");
    expect(attempt.summary).toContain("GET /api/me with the earlier access token → 401 invalid_token");
    expect(attempt.summary).toContain("introspection of the earlier refresh token → active: false");
    expect(attempt.exchanges).toHaveLength(3);
  });

  it("the page's view holds the server's records of the run and the API's checks: after a replay, the code and tokens revoked and the API refusing at revocation", async () => {
    const { browser, id, code } = await runWithTokens();
    await browser.press("call-api", { run: id });
    let view = await loadWalkthrough(ctx, browser.cookie, { run: id });
    if (view.kind !== "run") throw new Error(view.kind);
    expect(view.serverState?.codes.map((r) => r.states.map((s) => s.state))).toEqual([["issued", "consumed"]]);
    expect(view.apiAnswers.map((a) => [a.request, a.status, a.check])).toEqual([
      ["GET /api/notes", 200, "passed"],
      ["GET /api/me", 200, "passed"],
    ]);

    await browser.press("replay", { run: id });
    view = await loadWalkthrough(ctx, browser.cookie, { run: id });
    if (view.kind !== "run") throw new Error(view.kind);
    expect(view.serverStateError).toBeUndefined();
    expect(view.serverState?.codes.map((r) => r.states.map((s) => s.state))).toEqual([["issued", "consumed", "revoked"]]);
    expect(view.serverState?.accessTokens.map((r) => r.states.map((s) => s.state))).toEqual([["issued", "revoked"]]);
    expect(view.serverState?.refreshTokens.map((r) => r.states.map((s) => s.state))).toEqual([["issued", "revoked"]]);
    expect(view.apiAnswers[0]).toMatchObject({ request: "GET /api/me", status: 401, check: "revocation" });
    expect(view.apiAnswers[0].checks.map((c) => c.result).join(" ")).toBe(
      "passed passed passed passed passed passed passed passed passed failed not run not run",
    );
    expect(JSON.stringify(view.serverState)).not.toContain(code);
  });

  it("calls the API without a token (a bare challenge) and refuses to send an unexpired token as expired", async () => {
    const { browser, id } = await runWithTokens();
    await browser.press("no-token", { run: id });
    let attempt = (await browser.run(id)).data.log.at(-1)!;
    expect(attempt.summary).toMatch(/^GET \/api\/me → 401:/);
    expect(attempt.exchanges[0].exchange.response?.headers["www-authenticate"]).toMatch(/^Bearer realm=/);
    await browser.press("expired-token", { run: id });
    attempt = (await browser.run(id)).data.log.at(-1)!;
    expect(attempt).toMatchObject({ outcome: "info", exchanges: [] });
    expect(attempt.summary).toMatch(/has not expired yet: it expires at .+ \(in 300 s\)/);
    // Past expiry and the API's clock skew, the same button gets the API's 401.
    clock += 331_000;
    await browser.press("expired-token", { run: id });
    attempt = (await browser.run(id)).data.log.at(-1)!;
    expect(attempt.summary).toBe("GET /api/me → 401 invalid_token: the API refuses the expired token.");
  });
});

describe("the callback's checks and the isolation of runs", () => {
  it("refuses a forged state, keeps the run waiting, and accepts the real response afterwards", async () => {
    const browser = new Browser();
    const id = await browser.start();
    const forged = await browser.callback({ code: "x", state: "forged", iss: ISSUER });
    expect(forged.headers.get("location")).toBe(`${ISSUER}/walkthrough?run=${id}#step-3`);
    let run = await browser.run(id);
    expect(run.data.callback).toBeUndefined();
    expect(run.data.refusedCallbacks).toHaveLength(1);
    expect(run.data.refusedCallbacks[0].verdict).toMatchObject({ outcome: "refused", reason: "state matches: failed" });
    expect((await listEvents(t.db, run.correlationId)).map((e) => e.name)).toContain(
      "Client refused the authorization response (state matches: failed)",
    );

    await browser.callback({ code: await issueCodeFor(run), state: run.data.state, iss: ISSUER });
    run = await browser.run(id);
    expect(run.data.callback?.verdict.outcome).toBe("code");
  });

  it("refuses a response from another issuer, a second response to the same request, and one to a browser without a run", async () => {
    const browser = new Browser();
    const id = await browser.start();
    const { state } = (await browser.run(id)).data;
    await browser.callback({ code: "x", state, iss: "https://evil.example" });
    await browser.callback({ code: "y", state });
    let run = await browser.run(id);
    expect(run.data.refusedCallbacks.map((c) => (c.verdict.outcome === "refused" ? c.verdict.reason : ""))).toEqual([
      "iss matches the issuer: failed",
      "iss matches the issuer: failed",
    ]);
    await browser.callback({ error: "access_denied", error_description: "The user denied the request.", state, iss: ISSUER });
    run = await browser.run(id);
    expect(run.data.callback?.verdict.outcome).toBe("error");
    await browser.callback({ code: "z", state, iss: ISSUER });
    run = await browser.run(id);
    expect(run.data.callback?.verdict.outcome).toBe("error");
    expect(run.data.refusedCallbacks.at(-1)!.verdict).toMatchObject({ outcome: "refused", reason: "the run already has its response" });

    const stranger = await new Browser().callback({ code: "x", state, iss: ISSUER });
    expect(stranger.headers.get("location")).toBe(`${ISSUER}/walkthrough?refused=no-run`);
  });

  it("one browser's tabs keep their runs apart: the response goes to the run whose state it carries", async () => {
    const browser = new Browser();
    const older = await browser.start();
    const newer = await browser.start();
    expect(browser.cookie.split(".")).toHaveLength(2);
    const run = await browser.run(older);
    const response = await browser.callback({ code: await issueCodeFor(run), state: run.data.state, iss: ISSUER });
    expect(response.headers.get("location")).toBe(`${ISSUER}/walkthrough?run=${older}#step-3`);
    expect((await browser.run(older)).data.callback?.verdict.outcome).toBe("code");
    expect((await browser.run(newer)).data.callback).toBeUndefined();
    const view = await loadWalkthrough(ctx, browser.cookie, {});
    expect(view.kind === "run" && view.run.id).toBe(newer);
  });

  it("another browser cannot open a run, even knowing its id, nor press its buttons", async () => {
    const alice = new Browser();
    const id = await alice.start();
    const mallory = new Browser();
    await mallory.start();
    expect((await loadWalkthrough(ctx, mallory.cookie, { run: id })).kind).toBe("not-found");
    expect((await loadWalkthrough(ctx, null, {})).kind).toBe("none");
    const response = await mallory.press("authorize", { run: id, scope: "openid" });
    expect(response.headers.get("location")).toBe(`${ISSUER}/walkthrough?run=${id}`);
    expect((await alice.run(id)).data.sentAt).toBeUndefined();
  });

  it("refuses a form from another site, and runs a double-submitted action once", async () => {
    const browser = new Browser();
    const id = await browser.start();
    expect((await browser.press("authorize", { run: id, scope: "openid" }, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await browser.press("authorize", { run: id, scope: "openid" }, { origin: "https://evil.example" })).status).toBe(403);
    expect((await browser.press("nonsense", { run: id })).status).toBe(400);

    const a = await browser.run(id);
    const b = await browser.run(id);
    expect(await ctx.store.claim(a)).toBe(true);
    expect(await ctx.store.claim(b)).toBe(false);
    expect(await ctx.store.save(a)).toBe(true);
  });

  it("asks for at least one known scope", async () => {
    const browser = new Browser();
    const id = await browser.start();
    await browser.press("authorize", { run: id, scope: "not-a-scope" });
    const run = await browser.run(id);
    expect(run.data.notice).toMatchObject({ kind: "error", text: expect.stringContaining("at least one scope") });
    expect(run.data.sentAt).toBeUndefined();
  });
});

describe("diagram rows from stored events", () => {
  it("never draws a server's event twice when all roles share a database", async () => {
    const { browser, id } = await runWithTokens();
    const run = await browser.run(id);
    const events = await listEvents(t.db, run.correlationId);
    const rows = diagramRows(events, events);
    expect(rows).toHaveLength(events.length);
  });
});

describe("a run as a participant's own client (RFC 7591 registration)", () => {
  async function registeredRun(method: "client_secret_post" | "none") {
    const info = await registerClient(
      testContext(t.db),
      { client_name: `Participant ${method}`, redirect_uris: [REDIRECT], token_endpoint_auth_method: method },
      `10.1.0.${method.length}`,
    );
    const browser = new Browser();
    const started = await browser.press("start", { client_id: info.client_id, client_secret: info.client_secret ?? "" });
    const id = new URL(started.headers.get("location")!).searchParams.get("run")!;
    const run = await browser.run(id);
    const { code } = await insertCode(t.db, {
      clientId: info.client_id,
      userId,
      redirectUri: REDIRECT,
      scope: "openid profile offline_access notes:read",
      codeChallenge: run.data.codeChallenge,
      nonce: run.data.nonce,
      expiresAt: new Date(clock + 60_000),
      correlationId: run.correlationId,
    });
    await browser.callback({ code, state: run.data.state, iss: ISSUER });
    await browser.press("exchange", { run: id });
    return { info, browser, id };
  }

  it("a public client exchanges the code with only its client_id and the PKCE verifier", async () => {
    const { info, browser, id } = await registeredRun("none");
    const run = await browser.run(id);
    expect(run.data.client).toEqual({ clientId: info.client_id });
    expect(run.data.exchange?.ok).toBe(true);
    const body = run.data.exchange!.exchange.request.body!;
    expect(body.client_id).toBe(info.client_id);
    expect(body).not.toHaveProperty("client_secret");
    expect(body.code_verifier).toBe(run.data.codeVerifier);
    expect(run.data.idTokenChecks?.valid).toBe(true);
    // Refresh and revocation work for a public client too; the replay skips introspection (confidential clients only).
    await browser.press("refresh", { run: id });
    expect((await browser.run(id)).data.log.at(-1)).toMatchObject({ kind: "refresh", outcome: "ok" });
    await browser.press("replay", { run: id });
    const replay = (await browser.run(id)).data.log.at(-1)!;
    expect(replay.exchanges.map((e) => e.label)).not.toContain("POST introspection endpoint with the earlier refresh token");
    const view = await loadWalkthrough(ctx, browser.cookie, { run: id });
    expect(view.kind === "run" && view.client).toEqual({ clientId: info.client_id, isDemo: false, isPublic: true });
  });

  it("a confidential client sends its own secret; the page gets only a preview of it; Start over keeps the client", async () => {
    const { info, browser, id } = await registeredRun("client_secret_post");
    const run = await browser.run(id);
    expect(run.data.exchange?.ok).toBe(true);
    expect(run.data.exchange!.exchange.request.body!.client_secret).toBe(`${info.client_secret!.slice(0, 4)}••••`);
    const view = await loadWalkthrough(ctx, browser.cookie, { run: id });
    // The run keeps the secret on the client's server; what the page renders of the client is a preview.
    expect(view.kind === "run" && view.client).toEqual({
      clientId: info.client_id,
      isDemo: false,
      isPublic: false,
      secretPreview: `${info.client_secret!.slice(0, 4)}••••`,
    });
    const again = await browser.press("start", { run: id });
    const next = await browser.run(new URL(again.headers.get("location")!).searchParams.get("run")!);
    expect(next.data.client).toEqual({ clientId: info.client_id, clientSecret: info.client_secret });
  });

  it("the configured client_id without a secret is the demo client", async () => {
    const browser = new Browser();
    const started = await browser.press("start", { client_id: "walkthrough", client_secret: "" });
    const run = await browser.run(new URL(started.headers.get("location")!).searchParams.get("run")!);
    expect(run.data.client).toBeUndefined();
  });
});
