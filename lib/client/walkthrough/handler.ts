import { z } from "zod";
import { constantTimeEqual, randomToken } from "../../crypto";
import { correlationIdFor, redactUrl } from "../../events";
import { BodyTooLarge, isSameOriginPost, mediaType, readBody, seeOther } from "../../http";
import { ACTIONS, type ActionIntent } from "./actions";
import { newAuthorizationRequestValues } from "../core/authorization-request";
import { newDpopKey } from "../core/dpop";
import { checkAuthorizationResponse, type Check } from "../core/callback";
import { forRun, type WalkthroughContext } from "./context";
import { discover, type ServerMetadata } from "../core/discovery";
import { DEFAULT_OPTIONS, DEFAULT_SCOPES, newRunData, optionsOf, type ReceivedCallback, type RunData, type RunOptions } from "./run";
import { RUN_LIFETIME_MS, type StoredRun } from "./run-store";
import { newRunKey, readRunKeys, runKeyHash, runsCookie } from "./runs-cookie";

/**
 * The walkthrough's two entry points as Web Request → Response: the redirect URI (GET /walkthrough/callback)
 * and the page's buttons (POST /walkthrough/action). Each ends in a 303 back to the page, so every
 * action is followed by a fresh render of the run (or, for step 1, by the redirect to the server).
 */

const pageUrl = (ctx: WalkthroughContext, query: Record<string, string>, anchor?: string) =>
  `${ctx.client.appUrl}/walkthrough?${new URLSearchParams(query)}${anchor ? `#${anchor}` : ""}`;

const browserRuns = (ctx: WalkthroughContext, request: Request) => ctx.store.list(readRunKeys(request).map(runKeyHash));

/**
 * The client a new run acts as. The start form names one (a participant's own registration; an empty
 * secret means a public client); "Start over" keeps the client of the run it replaces; otherwise, and
 * for the configured client_id without a secret, it is the configured demo client.
 */
function chooseClient(ctx: WalkthroughContext, form: ActionForm, previous: StoredRun | undefined): RunData["client"] {
  if (form.client_id === undefined) return previous?.data.client;
  const clientId = form.client_id.trim();
  const clientSecret = form.client_secret?.trim() || undefined;
  if (!clientId || (clientId === ctx.client.clientId && clientSecret === undefined)) return undefined;
  return { clientId, ...(clientSecret === undefined ? {} : { clientSecret }) };
}

/** The start form's options; "Start over" keeps those of the run it replaces. */
function chooseOptions(form: ActionForm, previous: StoredRun | undefined): RunOptions {
  if (form.client_id === undefined) return previous ? optionsOf(previous.data) : DEFAULT_OPTIONS;
  return { par: form.par === "on", dpop: form.dpop === "on" };
}

/** Starts a fresh run: new state, nonce and PKCE pair, a new key added to the browser's cookie. */
async function startRun(ctx: WalkthroughContext, request: Request, form: ActionForm): Promise<Response> {
  const key = newRunKey();
  const values = await newAuthorizationRequestValues();
  const previous = form.run ? (await browserRuns(ctx, request)).find((r) => r.id === form.run) : undefined;
  const options = chooseOptions(form, previous);
  const run = await ctx.store.create({
    id: randomToken(9),
    keyHash: runKeyHash(key),
    correlationId: correlationIdFor(values.codeChallenge),
    data: newRunData(values, DEFAULT_SCOPES, chooseClient(ctx, form, previous), options, options.dpop ? await newDpopKey() : undefined),
  });
  await ctx.store.prune(new Date(ctx.now().getTime() - RUN_LIFETIME_MS));
  return seeOther(pageUrl(ctx, { run: run.id }, "step-1"), [runsCookie([...readRunKeys(request), key], ctx.client.secureCookies)]);
}

/** Only the walkthrough's own page may press its buttons (the runs cookie is SameSite=Lax, too). */
const fromThisApp = (ctx: WalkthroughContext, request: Request) => isSameOriginPost(request, new URL(ctx.client.appUrl).origin);

const INTENTS = ["start", ...Object.keys(ACTIONS)] as [string, ...string[]];

/** The page's form, validated at the boundary. */
const actionForm = z.object({
  intent: z.enum(INTENTS),
  run: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/)
    .optional(),
  scope: z.array(z.string().min(1).max(64)).max(20),
  prompt: z.array(z.enum(["login", "consent"])).max(2),
  text: z.string().max(500).optional(),
  /** The start form: which client the run acts as (RFC 6749 §2.2 client_id; printable ASCII, as the server issues). */
  client_id: z
    .string()
    .max(256)
    .regex(/^[\x20-\x7e]*$/)
    .optional(),
  client_secret: z
    .string()
    .max(512)
    .regex(/^[\x20-\x7e]*$/)
    .optional(),
  /** The start form's "Use PAR" and "Bind tokens with DPoP" checkboxes. */
  par: z.literal("on").optional(),
  dpop: z.literal("on").optional(),
});
type ActionForm = z.infer<typeof actionForm>;

async function readActionForm(request: Request) {
  if (mediaType(request) !== "application/x-www-form-urlencoded") return undefined;
  // Over 8 KiB: BodyTooLarge, answered 413 by handleAction.
  const form = new URLSearchParams(await readBody(request, 8192));
  const parsed = actionForm.safeParse({
    intent: form.get("intent"),
    run: form.get("run") ?? undefined,
    scope: form.getAll("scope"),
    prompt: form.getAll("prompt"),
    text: form.get("text") ?? undefined,
    client_id: form.get("client_id") ?? undefined,
    client_secret: form.get("client_secret") ?? undefined,
    par: form.get("par") ?? undefined,
    dpop: form.get("dpop") ?? undefined,
  });
  return parsed.success ? parsed.data : undefined;
}

const badRequest = (message: string, status = 400) =>
  new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

/** POST /walkthrough/action: one button of the page. */
export async function handleAction(request: Request, ctx: WalkthroughContext): Promise<Response> {
  if (!fromThisApp(ctx, request)) return badRequest("This form must be sent from the walkthrough page.", 403);
  let form: ActionForm | undefined;
  try {
    form = await readActionForm(request);
  } catch (error) {
    if (error instanceof BodyTooLarge) return badRequest(error.message, 413);
    throw error;
  }
  if (!form) return badRequest("The form is malformed.");
  if (form.intent === "start") return startRun(ctx, request, form);

  const run = (await browserRuns(ctx, request)).find((r) => r.id === form.run);
  if (!run) return seeOther(pageUrl(ctx, form.run ? { run: form.run } : {}));
  if (!(await ctx.store.claim(run))) {
    // Another tab or a double click changed the run first: show it as it is now, do nothing twice.
    return seeOther(pageUrl(ctx, { run: run.id, conflict: "1" }));
  }
  run.data.notice = undefined;
  let metadata: ServerMetadata;
  try {
    metadata = await discover(ctx.client.issuer, ctx.fetch, ctx.now().getTime());
  } catch (error) {
    run.data.notice = { kind: "error", text: error instanceof Error ? error.message : String(error) };
    await ctx.store.save(run);
    return seeOther(pageUrl(ctx, { run: run.id }));
  }
  const outcome = await ACTIONS[form.intent as ActionIntent](
    forRun(ctx, run.data),
    run,
    { scopes: form.scope, prompt: form.prompt, text: form.text },
    metadata,
  );
  await ctx.store.save(run);
  // A refused action explains itself in the page's notice: the page lands there, not where the action would have.
  const notice = run.data.notice as RunData["notice"]; // set by the action, if it refused
  const anchor = notice?.kind === "error" ? "notice" : outcome.anchor;
  return seeOther(outcome.location ?? pageUrl(ctx, { run: run.id }, anchor));
}

/**
 * GET /walkthrough/callback: the redirect URI (RFC 6749 §4.1.2). The response belongs to the run of
 * this browser whose state it carries; if none does, it is refused (CSRF) and shown on the browser's
 * newest run. A response is accepted once per run: the state is single-use.
 */
export async function handleCallback(request: Request, ctx: WalkthroughContext): Promise<Response> {
  const url = new URL(request.url);
  const runs = await browserRuns(ctx, request);
  if (runs.length === 0) return seeOther(pageUrl(ctx, { refused: "no-run" }));

  let metadata: ServerMetadata | undefined;
  try {
    metadata = await discover(ctx.client.issuer, ctx.fetch, ctx.now().getTime());
  } catch {
    /* without metadata, iss is required: the safe side */
  }

  const state = url.searchParams.get("state");
  const matching = state === null ? undefined : runs.find((r) => constantTimeEqual(r.data.state, state));
  const run = matching ?? runs[0];
  const checked = checkAuthorizationResponse(url.searchParams, {
    state: run.data.state,
    issuer: ctx.client.issuer,
    issRequired: metadata ? metadata.authorization_response_iss_parameter_supported === true : true,
  });
  let { verdict } = checked;
  if (run.data.callback && verdict.outcome !== "refused") {
    const once: Check = {
      name: "first response to this request",
      pass: false,
      rfc: "RFC 6749 §10.12",
      explanation:
        "This run already received its authorization response; its state is used up, so a second response is refused (an injected code, or a replayed URL).",
    };
    verdict = { outcome: "refused", reason: "the run already has its response", checks: [...verdict.checks, once] };
  }
  const received: ReceivedCallback = { receivedAt: ctx.now().toISOString(), response: checked.response, verdict };

  if (await ctx.store.claim(run)) {
    if (verdict.outcome === "refused") run.data.refusedCallbacks = [...run.data.refusedCallbacks, received].slice(-5);
    else run.data.callback = received;
    run.data.notice = undefined;
    await ctx.store.save(run);
  }
  await recordCallback(forRun(ctx, run.data), run, request.url, received);
  return seeOther(pageUrl(ctx, { run: run.id }, "step-3"));
}

async function recordCallback(ctx: WalkthroughContext, run: StoredRun, url: string, received: ReceivedCallback) {
  const { verdict } = received;
  const base = { correlationId: run.correlationId, step: 3, clientId: ctx.client.clientId };
  await ctx.record({
    ...base,
    role: "browser",
    name: "Browser brought the authorization response to the redirect URI",
    outcome: "ok",
    http: {
      request: { method: "GET", url: redactUrl(url) },
      response: { status: 303, headers: { location: `/walkthrough?run=${run.id}` } },
    },
    detail: { from: "browser", to: "client" },
  });
  const name =
    verdict.outcome === "code"
      ? "Client checked state and iss: response accepted"
      : verdict.outcome === "error"
        ? `Client checked state and iss: the server answered ${received.response.error}`
        : `Client refused the authorization response (${verdict.reason})`;
  await ctx.record({
    ...base,
    role: "client",
    name,
    outcome: verdict.outcome === "code" ? "ok" : "error",
    detail: { from: "client", to: "client", checks: Object.fromEntries(verdict.checks.map((c) => [c.name, c.pass ? "passed" : "failed"])) },
  });
}
