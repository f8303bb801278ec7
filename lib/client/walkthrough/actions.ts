import { randomToken } from "../../crypto";
import { authorizationUrl, pushedAuthorizationUrl } from "../core/authorization-url";
import { pushedAuthorizationRequest, readPushedResponse } from "../core/pushed-request";
import { nonceAskedFor, sendWithDpop } from "../core/dpop";
import type { WalkthroughContext } from "./context";
import type { ServerMetadata } from "../core/discovery";
import { remoteKeys, validateIdToken } from "../core/id-token";
import { introspectionRequest, isActive } from "../core/introspection";
import { tokenPreview } from "../core/mask";
import { oauthErrorOf, send, type OutgoingRequest, type Received, type RecordedExchange } from "../core/recorded-fetch";
import { API_CLOCK_SKEW_SECONDS, apiRequest } from "../core/resource-request";
import { revocationRequest } from "../core/revocation";
import { attemptAnchor, grantedScopes, MAX_ATTEMPTS, optionsOf, type Attempt, type RunData } from "./run";
import type { StoredRun } from "./run-store";
import type { Lane } from "./sequence";
import { authorizationCodeRequest, readTokenResponse, refreshTokenRequest, type ClientCredentials } from "../core/token-request";

/**
 * What each button of the walkthrough does, as a registry: one function per intent, taking the run and
 * changing it. Every HTTP request goes out from the client's server, is recorded for the page (secrets
 * masked) and as a flow event of the run, so the sequence diagram shows it beside the servers' events.
 */

export type ActionInput = { scopes: string[]; prompt: string[]; text?: string };
export type ActionOutcome = { anchor: string; location?: string };
type Action = (ctx: WalkthroughContext, run: StoredRun, input: ActionInput, metadata: ServerMetadata) => Promise<ActionOutcome>;

const credentials = (ctx: WalkthroughContext): ClientCredentials => ({
  clientId: ctx.client.clientId,
  clientSecret: ctx.client.clientSecret,
});

/** Records one of the client's HTTP exchanges as a flow event (recordEvent masks codes and tokens again). */
async function recordExchange(
  ctx: WalkthroughContext,
  run: StoredRun,
  event: { step: number; name: string; to: Lane; exchange: RecordedExchange; ok: boolean; detail?: Record<string, unknown> },
) {
  const { request, response, startedAt, networkError } = event.exchange;
  await ctx.record({
    correlationId: run.correlationId,
    role: "client",
    step: event.step,
    name: event.name,
    outcome: event.ok ? "ok" : "error",
    clientId: ctx.client.clientId,
    http: { request, ...(response ? { response } : {}) },
    detail: { from: "client", to: event.to, startedAt, ...(networkError ? { networkError } : {}), ...event.detail },
  });
}

/**
 * Sends a request and records it: the building block of every action below. `wanted`: the request is
 * sent to be refused (a lesson of "teach by failing"), so its refusal is recorded as wanted, and the
 * instructor's view does not take the run for stuck.
 */
async function call(
  ctx: WalkthroughContext,
  run: StoredRun,
  request: OutgoingRequest,
  event: { step: number; name: string; to: Lane; ok?: (r: Received) => boolean; wanted?: boolean },
): Promise<Received> {
  const received = await send(ctx.fetch, request, ctx.now);
  const ok = event.ok ? event.ok(received) : received.status >= 200 && received.status < 300;
  const { wanted, ...shown } = event;
  await recordExchange(ctx, run, { ...shown, exchange: received.exchange, ok, ...(wanted ? { detail: { wanted: true } } : {}) });
  return received;
}

/**
 * A request of the run's token or API traffic: with DPoP on (RFC 9449) it carries a fresh proof of the
 * run's key, with the nonce its server last asked for; asked for a nonce (§8, §9), it is sent once more
 * with it. Both tries are recorded, so the diagram draws the extra message. Without DPoP: call().
 */
async function callBound(
  ctx: WalkthroughContext,
  run: StoredRun,
  request: OutgoingRequest,
  event: Parameters<typeof call>[3],
  accessToken?: string,
): Promise<Received> {
  const dpop = run.data.dpop;
  if (!dpop) return call(ctx, run, request, event);
  return sendWithDpop(dpop.key, dpop.nonces, { method: request.method, url: request.url, accessToken }, ctx.now, (proof, retry) =>
    call(
      ctx,
      run,
      { ...request, headers: { ...request.headers, DPoP: proof } },
      {
        ...event,
        // A server asking for its nonce is the protocol at work, not a failure of the step.
        ok: (r) => (!retry && !!nonceAskedFor(r.status, r.body, r.headers)) || (event.ok ? event.ok(r) : r.status >= 200 && r.status < 300),
      },
    ),
  );
}

/** The token type the run's token requests expect: DPoP-bound when the run has a key (RFC 9449 §5). */
const expectedTokenType = (data: RunData) => (data.dpop ? "DPoP" : "Bearer");

function addAttempt(data: RunData, attempt: Omit<Attempt, "id">) {
  data.log = [...data.log, { id: randomToken(6), ...attempt }].slice(-MAX_ATTEMPTS);
}

/** The page lands on the newest result, the exchange it shows. */
const newestAttempt = (data: RunData): ActionOutcome => ({ anchor: attemptAnchor(data.log.at(-1)!.id) });

const notice = (data: RunData, text: string, kind: "info" | "error" = "error") => {
  data.notice = { kind, text };
};

/** A time as a person reads it: the time of day, in UTC as every page shows it. */
const clock = (iso: string) => `${iso.slice(11, 19)} UTC`;
const secondsLater = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** `GET /api/me` → `401 invalid_token`: a line for summaries. */
function statusLine(label: string, r: Received): string {
  if (r.status === 0) return `${label} → no answer (${r.exchange.networkError})`;
  const error = oauthErrorOf(r.body);
  return `${label} → ${r.status}${error ? ` ${error.error}` : ""}`;
}

/** The scopes of the request: known to the server (its metadata), at least one. */
function chooseScopes(data: RunData, input: ActionInput, metadata: ServerMetadata): boolean {
  const supported = metadata.scopes_supported;
  const scopes = [...new Set(input.scopes)].filter((s) => !supported || supported.includes(s));
  if (scopes.length === 0) {
    notice(data, "Pick at least one scope: an authorization request asks for something (RFC 6749 §3.3).");
    return false;
  }
  data.scopes = supported ? supported.filter((s) => scopes.includes(s)) : scopes;
  data.prompt = ["login", "consent"].filter((p) => input.prompt.includes(p));
  return true;
}

const authorizationInput = (ctx: WalkthroughContext, data: RunData) => ({
  clientId: ctx.client.clientId,
  redirectUri: ctx.client.redirectUri,
  scopes: data.scopes,
  state: data.state,
  nonce: data.nonce,
  codeChallenge: data.codeChallenge,
  prompt: data.prompt,
  ...(data.dpop ? { dpopJkt: data.dpop.key.thumbprint } : {}),
});

export function runAuthorizationUrl(ctx: WalkthroughContext, data: RunData, metadata: ServerMetadata): string {
  return authorizationUrl(metadata.authorization_endpoint, authorizationInput(ctx, data));
}

const alreadyAnswered = (data: RunData) => {
  if (!data.callback) return false;
  notice(
    data,
    "This run already has its authorization response: its state and PKCE pair are used. Start over for a new authorization request.",
  );
  return true;
};

/** Step 1 without leaving: the scopes are saved and the page shows the URL they make. */
const preview: Action = async (_ctx, run, input, metadata) => {
  if (!alreadyAnswered(run.data) && chooseScopes(run.data, input, metadata)) {
    notice(run.data, `The authorization URL now asks for: ${run.data.scopes.join(" ")}.`, "info");
  }
  return { anchor: "step-1" };
};

/**
 * @see RFC 9126 §2: step 1 with PAR: the request goes to the authorization server over the back channel
 * first, and the browser gets only client_id and the request_uri. Undefined when the push was refused.
 */
async function pushRequest(ctx: WalkthroughContext, run: StoredRun, metadata: ServerMetadata): Promise<string | undefined> {
  const { data } = run;
  const endpoint = metadata.pushed_authorization_request_endpoint;
  if (!endpoint) {
    notice(
      data,
      "The authorization server's metadata names no pushed_authorization_request_endpoint (RFC 9126 §5): it does not take pushed requests.",
    );
    return undefined;
  }
  const received = await call(ctx, run, pushedAuthorizationRequest(endpoint, authorizationInput(ctx, data), credentials(ctx)), {
    step: 1,
    name: "Client pushed the authorization request (back channel)",
    to: "authorization-server",
  });
  const result = readPushedResponse(received.status, received.body);
  data.pushed = {
    exchange: received.exchange,
    ok: result.ok,
    ...(result.ok
      ? { requestUri: result.requestUri, expiresIn: result.expiresIn }
      : { error: { error: result.error, description: result.description } }),
  };
  if (!result.ok) {
    notice(
      data,
      `The authorization server refused the pushed request: ${result.error}${result.description ? `: ${result.description}` : ""}`,
    );
    return undefined;
  }
  return pushedAuthorizationUrl(metadata.authorization_endpoint, ctx.client.clientId, result.requestUri);
}

/** @see RFC 6749 §4.1.1: step 1, the client sends the browser to the authorization endpoint. */
const authorize: Action = async (ctx, run, input, metadata) => {
  if (alreadyAnswered(run.data) || !chooseScopes(run.data, input, metadata)) return { anchor: "step-1" };
  const url = optionsOf(run.data).par ? await pushRequest(ctx, run, metadata) : runAuthorizationUrl(ctx, run.data, metadata);
  if (!url) return { anchor: "step-1" };
  const startedAt = ctx.now();
  run.data.sentAt = startedAt.toISOString();
  // The message of step 1 is the client's answer to the browser: a 303 whose Location is the authorization
  // URL (the authorization server records the browser's request that follows it).
  await ctx.record({
    correlationId: run.correlationId,
    role: "client",
    step: 1,
    name: "Client sent the browser to the authorization endpoint",
    outcome: "ok",
    clientId: ctx.client.clientId,
    http: {
      request: {
        method: "POST",
        url: `${ctx.client.appUrl}/walkthrough/action`,
        body: { intent: "authorize", scope: run.data.scopes.join(" ") },
      },
      response: { status: 303, headers: { location: url } },
    },
    detail: { from: "client", to: "browser", startedAt: startedAt.toISOString(), scope: run.data.scopes.join(" ") },
  });
  return { anchor: "step-2", location: url };
};

/** Validates the ID token of a code exchange (OpenID Connect Core §3.1.3.7) and records the verdict. */
async function checkIdToken(ctx: WalkthroughContext, run: StoredRun, metadata: ServerMetadata, idToken: string, accessToken: string) {
  const result = await validateIdToken(idToken, {
    issuer: metadata.issuer,
    clientId: ctx.client.clientId,
    nonce: run.data.nonce,
    accessToken,
    algorithms: metadata.id_token_signing_alg_values_supported ?? ["RS256"],
    keys: remoteKeys(metadata.jwks_uri, ctx.fetch),
    now: ctx.now(),
  });
  run.data.idToken = idToken;
  run.data.idTokenChecks = { valid: result.valid, checks: result.checks };
  await ctx.record({
    correlationId: run.correlationId,
    role: "client",
    step: 5,
    name: result.valid ? "Client validated the ID token: valid" : "Client refused the ID token",
    outcome: result.valid ? "ok" : "error",
    clientId: ctx.client.clientId,
    detail: { from: "client", to: "client", checks: Object.fromEntries(result.checks.map((c) => [c.name, c.pass ? "passed" : "failed"])) },
  });
}

/** @see RFC 6749 §4.1.3: step 4, the code exchange on the back channel; step 5 is its answer. */
const exchange: Action = async (ctx, run, _input, metadata) => {
  const { data } = run;
  if (data.callback?.verdict.outcome !== "code" || !data.callback.response.code) {
    notice(data, "There is no accepted authorization code to exchange yet: complete steps 1 to 3 first.");
    return { anchor: "step-3" };
  }
  if (data.exchange) {
    notice(data, 'This code was already exchanged. A code is single-use: try "Replay the code" to see what a second redemption does.');
    return { anchor: "step-4" };
  }
  const request = authorizationCodeRequest(
    metadata.token_endpoint,
    {
      code: data.callback.response.code,
      redirectUri: ctx.client.redirectUri,
      codeVerifier: data.codeVerifier,
    },
    credentials(ctx),
  );
  const received = await callBound(ctx, run, request, {
    step: 4,
    name: "Client exchanged the code for tokens (back channel)",
    to: "authorization-server",
  });
  const result = readTokenResponse(received.status, received.body, ctx.now(), expectedTokenType(data));
  data.exchange = {
    exchange: received.exchange,
    ok: result.ok,
    ...(result.ok ? {} : { error: { error: result.error, description: result.description } }),
  };
  if (!result.ok) return { anchor: "exchange" };
  data.tokens = result.tokens;
  data.firstAccessToken = { token: result.tokens.accessToken, expiresAt: result.tokens.expiresAt };
  if (result.tokens.idToken) await checkIdToken(ctx, run, metadata, result.tokens.idToken, result.tokens.accessToken);
  return { anchor: "exchange" };
};

const needTokens = (data: RunData): data is RunData & { tokens: NonNullable<RunData["tokens"]> } => {
  if (data.tokens) return true;
  notice(data, "There is no access token yet: exchange the code first (step 4).");
  return false;
};

const apiCall = (
  ctx: WalkthroughContext,
  run: StoredRun,
  path: "/api/me" | "/api/notes",
  accessToken: string | undefined,
  name: string,
  wanted = false,
) => {
  const event = { step: 6, name, to: "resource-server" as const, wanted };
  // Without a token there is nothing to prove possession of: no proof either.
  if (!accessToken) return call(ctx, run, apiRequest(ctx.client.resourceServerUrl, path), event);
  return callBound(
    ctx,
    run,
    apiRequest(ctx.client.resourceServerUrl, path, { accessToken, scheme: expectedTokenType(run.data) }),
    event,
    accessToken,
  );
};

/** @see RFC 6750 §2.1: steps 6–7, the API called with the access token. */
const callApi: Action = async (ctx, run) => {
  const { data } = run;
  if (!needTokens(data)) return { anchor: "step-5" };
  const token = data.tokens.accessToken;
  const me = await apiCall(ctx, run, "/api/me", token, "Client called GET /api/me with the access token");
  const notes = await apiCall(ctx, run, "/api/notes", token, "Client called GET /api/notes with the access token");
  const ok = [me, notes].every((r) => r.status === 200);
  const expired = data.tokens.expiresAt && new Date(data.tokens.expiresAt) <= ctx.now();
  addAttempt(data, {
    kind: "api",
    at: ctx.now().toISOString(),
    title: "Called the API with the access token",
    outcome: ok ? "ok" : "refused",
    summary: `${statusLine("GET /api/me", me)}; ${statusLine("GET /api/notes", notes)}.${expired && !ok ? " The access token has expired: refresh it." : ""}`,
    exchanges: [
      { label: "GET /api/me", exchange: me.exchange },
      { label: "GET /api/notes", exchange: notes.exchange },
    ],
  });
  return newestAttempt(data);
};

/** POST /api/notes: needs notes:write, so it teaches insufficient_scope (RFC 6750 §3.1) when not granted. */
const addNote: Action = async (ctx, run, input) => {
  const { data } = run;
  if (!needTokens(data)) return { anchor: "step-5" };
  const text = (input.text ?? "").trim();
  if (!text) {
    notice(data, "Write the note's text first.");
    return { anchor: "step-7" };
  }
  const request = apiRequest(ctx.client.resourceServerUrl, "/api/notes", {
    method: "POST",
    accessToken: data.tokens.accessToken,
    scheme: expectedTokenType(data),
    json: { text },
  });
  // Without notes:write the page offers the note as the lesson of insufficient_scope: its refusal is wanted.
  const r = await callBound(
    ctx,
    run,
    request,
    {
      step: 6,
      name: "Client called POST /api/notes with the access token",
      to: "resource-server",
      wanted: !grantedScopes(data).includes("notes:write"),
    },
    data.tokens.accessToken,
  );
  const created = r.status === 201 || r.status === 200;
  const error = oauthErrorOf(r.body)?.error;
  addAttempt(data, {
    kind: "note",
    at: ctx.now().toISOString(),
    title: created ? "Created a note through the API" : "The API refused to create the note",
    outcome: created ? "ok" : "refused",
    summary: `${statusLine("POST /api/notes", r)}.${
      error === "insufficient_scope"
        ? " The access token was not granted notes:write, so the API refused it: the scope limits what a token may do, even for the user it names (RFC 6750 §3.1). Start over and tick notes:write to create notes."
        : ""
    }`,
    exchanges: [{ label: "POST /api/notes", exchange: r.exchange }],
  });
  return newestAttempt(data);
};

/** @see RFC 6749 §6 and RFC 9700 §4.14.2: a new access token for the refresh token, which is rotated. */
const refresh: Action = async (ctx, run, _input, metadata) => {
  const { data } = run;
  if (!needTokens(data)) return { anchor: "step-5" };
  const old = data.tokens.refreshToken;
  if (!old) {
    notice(data, "This run has no refresh token: it is issued only for the offline_access scope. Start over and tick offline_access.");
    return { anchor: "refresh" };
  }
  const r = await callBound(ctx, run, refreshTokenRequest(metadata.token_endpoint, old, credentials(ctx)), {
    step: 7,
    name: "Client refreshed the access token (back channel)",
    to: "authorization-server",
  });
  const result = readTokenResponse(r.status, r.body, ctx.now(), expectedTokenType(data));
  const facts = [{ name: "Refresh token sent (now spent)", value: tokenPreview(old) }];
  if (result.ok) {
    data.tokens = { ...result.tokens, idToken: undefined };
    facts.push(
      { name: "New refresh token (rotated)", value: result.tokens.refreshToken ? tokenPreview(result.tokens.refreshToken) : "none issued" },
      { name: "New access token", value: tokenPreview(result.tokens.accessToken) },
      { name: "New access token expires at", value: result.tokens.expiresAt ? clock(result.tokens.expiresAt) : "not said (no expires_in)" },
    );
  }
  addAttempt(data, {
    kind: "refresh",
    at: ctx.now().toISOString(),
    title: result.ok ? "Refreshed the access token" : "The refresh was refused",
    outcome: result.ok ? "ok" : "refused",
    summary: result.ok
      ? "The authorization server issued a new access token and a new refresh token; the old refresh token is spent (a second use would revoke the whole family)."
      : `${statusLine("POST /oauth/token", r)}: ${result.error}${result.description ? `: ${result.description}` : ""}`,
    exchanges: [{ label: "POST token endpoint (grant_type=refresh_token)", exchange: r.exchange }],
    facts,
  });
  return newestAttempt(data);
};

/** @see RFC 7009 §2.1: revocation; then the API is asked again, to show that it refuses the token. */
const revoke: Action = async (ctx, run, _input, metadata) => {
  const { data } = run;
  if (!needTokens(data)) return { anchor: "step-5" };
  if (!metadata.revocation_endpoint) {
    notice(data, "The authorization server's metadata has no revocation_endpoint.");
    return { anchor: "revoke" };
  }
  const [token, hint] = data.tokens.refreshToken
    ? [data.tokens.refreshToken, "refresh_token" as const]
    : [data.tokens.accessToken, "access_token" as const];
  const r = await call(ctx, run, revocationRequest(metadata.revocation_endpoint, token, hint, credentials(ctx)), {
    step: 7,
    name: `Client revoked its ${hint === "refresh_token" ? "refresh token (and the grant)" : "access token"}`,
    to: "authorization-server",
  });
  data.revokedAt = ctx.now().toISOString();
  const after = await apiCall(
    ctx,
    run,
    "/api/me",
    data.tokens.accessToken,
    "Client called GET /api/me with the revoked grant's access token",
    true,
  );
  addAttempt(data, {
    kind: "revoke",
    at: ctx.now().toISOString(),
    title: r.status === 200 ? `Revoked the ${hint === "refresh_token" ? "refresh token" : "access token"}` : "The revocation was refused",
    outcome: r.status === 200 && after.status === 401 ? "ok" : "refused",
    summary: `${statusLine("POST revocation endpoint", r)}; then ${statusLine("GET /api/me", after)}${after.status === 401 ? ": the API refuses the token now." : "."}`,
    exchanges: [
      { label: "POST revocation endpoint", exchange: r.exchange },
      { label: "GET /api/me after revocation", exchange: after.exchange },
    ],
  });
  return newestAttempt(data);
};

/**
 * @see RFC 6749 §4.1.2 and RFC 9700 §4.5.3: the same code redeemed twice. The server refuses it
 * (invalid_grant) and revokes what the code produced; the API and introspection then show it.
 */
const replay: Action = async (ctx, run, _input, metadata) => {
  const { data } = run;
  const code = data.callback?.verdict.outcome === "code" ? data.callback.response.code : null;
  if (!code || !data.exchange) {
    notice(data, "Exchange the code first: a replay is a second redemption of a code that was already used.");
    return { anchor: "failures" };
  }
  const request = authorizationCodeRequest(
    metadata.token_endpoint,
    { code, redirectUri: ctx.client.redirectUri, codeVerifier: data.codeVerifier },
    credentials(ctx),
  );
  const r = await callBound(ctx, run, request, {
    step: 4,
    name: "Client redeemed the same code again (replay)",
    to: "authorization-server",
    ok: (x) => x.status === 200,
    wanted: true,
  });
  const exchanges = [{ label: "POST token endpoint with the same code", exchange: r.exchange }];
  const lines = [statusLine("POST /oauth/token", r)];
  if (data.tokens) {
    const after = await apiCall(
      ctx,
      run,
      "/api/me",
      data.tokens.accessToken,
      "Client called GET /api/me with a token of the replayed code",
      true,
    );
    exchanges.push({ label: "GET /api/me with the earlier access token", exchange: after.exchange });
    lines.push(statusLine("GET /api/me with the earlier access token", after));
    // Introspection is for confidential clients (RFC 7662 §2.1): a public client cannot ask.
    const { clientSecret } = ctx.client;
    if (data.tokens.refreshToken && metadata.introspection_endpoint && clientSecret !== undefined) {
      const i = await call(
        ctx,
        run,
        introspectionRequest(metadata.introspection_endpoint, data.tokens.refreshToken, "refresh_token", {
          clientId: ctx.client.clientId,
          clientSecret,
        }),
        {
          step: 7,
          name: "Client introspected the earlier refresh token",
          to: "authorization-server",
        },
      );
      exchanges.push({ label: "POST introspection endpoint with the earlier refresh token", exchange: i.exchange });
      lines.push(`introspection of the earlier refresh token → active: ${String(isActive(i.body))}`);
    }
  }
  addAttempt(data, {
    kind: "replay",
    at: ctx.now().toISOString(),
    title: "Replayed the code",
    outcome: r.status === 200 ? "ok" : "refused",
    summary: `${lines.join("; ")}.${r.status === 400 ? " The code was already used, so the server refused it and revoked every token it had produced." : ""}`,
    exchanges,
  });
  return newestAttempt(data);
};

/** @see RFC 6750 §3.1: no credentials at all: 401 with a bare Bearer challenge. */
const noToken: Action = async (ctx, run) => {
  const r = await apiCall(ctx, run, "/api/me", undefined, "Client called GET /api/me without an access token", true);
  addAttempt(run.data, {
    kind: "no-token",
    at: ctx.now().toISOString(),
    title: "Called the API without a token",
    outcome: r.status === 200 ? "ok" : "refused",
    summary: `${statusLine("GET /api/me", r)}: the API asks for a Bearer token in WWW-Authenticate.`,
    exchanges: [{ label: "GET /api/me without a token", exchange: r.exchange }],
  });
  return newestAttempt(run.data);
};

/** @see RFC 6750 §3.1 (invalid_token) and RFC 9068 §4: the run's first access token, once it has expired. */
const expiredToken: Action = async (ctx, run) => {
  const { data } = run;
  const first = data.firstAccessToken;
  if (!first) {
    notice(data, "There is no access token yet: exchange the code first (step 4).");
    return { anchor: "failures" };
  }
  const now = ctx.now();
  if (first.expiresAt && new Date(first.expiresAt) > now) {
    const seconds = Math.ceil((new Date(first.expiresAt).getTime() - now.getTime()) / 1000);
    addAttempt(data, {
      kind: "expired-token",
      at: now.toISOString(),
      title: "Called the API with an expired token",
      outcome: "info",
      exchanges: [],
      summary:
        `The first access token has not expired yet: it expires at ${clock(first.expiresAt)} (in ${seconds} s), and the API accepts it ` +
        `${API_CLOCK_SKEW_SECONDS} s longer (clock skew). Nothing was sent; try again after ${clock(secondsLater(first.expiresAt, API_CLOCK_SKEW_SECONDS))}.`,
    });
    return newestAttempt(data);
  }
  const r = await apiCall(ctx, run, "/api/me", first.token, "Client called GET /api/me with the first, expired access token", true);
  addAttempt(data, {
    kind: "expired-token",
    at: now.toISOString(),
    title: "Called the API with an expired token",
    outcome: r.status === 200 ? "ok" : "refused",
    summary:
      r.status === 200
        ? `${statusLine("GET /api/me", r)}: the API still accepted it, within the ${API_CLOCK_SKEW_SECONDS} s of clock skew it allows past exp` +
          `${first.expiresAt ? `; try again after ${clock(secondsLater(first.expiresAt, API_CLOCK_SKEW_SECONDS))}` : ""}.`
        : `${statusLine("GET /api/me", r)}: the API refuses the expired token.`,
    exchanges: [{ label: "GET /api/me with the first access token", exchange: r.exchange }],
  });
  return newestAttempt(data);
};

export const ACTIONS = {
  preview,
  authorize,
  exchange,
  "call-api": callApi,
  "add-note": addNote,
  refresh,
  revoke,
  replay,
  "no-token": noToken,
  "expired-token": expiredToken,
} satisfies Record<string, Action>;

export type ActionIntent = keyof typeof ACTIONS;
