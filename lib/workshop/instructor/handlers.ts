import type { Context } from "../../oauth/context";
import { BodyTooLarge, clientIp, isSameOriginPost, readHtmlForm, seeOther } from "../../http";
import { updateRuntimeSettings } from "../../records/runtime-settings";
import { resetToSeed } from "../../seed";
import { CORRELATION_ID, expireRunNow } from "./expire";
import type { Config } from "../../config";
import { CONFIGURED_LIFETIMES, lifetimesConflict, parseLifetimes } from "./lifetimes";
import { liftLockout } from "./lockouts";
import { isInstructor, signInInstructor, signOutInstructor } from "./session";
import { instructorEventStream } from "./stream";

/**
 * The instructor view's route handlers (workshop mode only), as Request → Response functions. Outside
 * workshop mode every one answers 404, as /instructor does. Each form post must come from our own
 * pages (CSRF: Sec-Fetch-Site or Origin) and carry the instructor's cookie; each answers with a 303 back
 * to /instructor, whose message the page shows (?done= or ?error=).
 */

const NO_STORE = { "Cache-Control": "no-store" };
const text = (status: number, body: string) =>
  new Response(body, { status, headers: { ...NO_STORE, "Content-Type": "text/plain; charset=utf-8" } });
const notFound = () => text(404, "Not found: the instructor view exists in workshop mode only (WORKSHOP_MODE=on).");
const back = (ctx: Context, query: Record<string, string>, cookies: string[] = []) =>
  seeOther(`${ctx.config.issuer}/instructor?${new URLSearchParams(query)}`, cookies);

const readForm = (request: Request) => readHtmlForm(request, 4096);

/** The checks every control runs first: workshop mode, our own page, the instructor's session, a form. */
async function guardPost(request: Request, ctx: Context, { signedIn = true } = {}): Promise<Response | URLSearchParams> {
  if (!ctx.config.workshop.enabled) return notFound();
  if (!isSameOriginPost(request, new URL(ctx.config.issuer).origin)) return text(403, "Refused: this form was not sent from this site.");
  if (signedIn && !(await isInstructor(ctx, request))) return text(401, "Sign in at /instructor first.");
  try {
    return (await readForm(request)) ?? text(400, "Expected a form (application/x-www-form-urlencoded).");
  } catch (error) {
    if (error instanceof BodyTooLarge) return text(413, error.message);
    throw error;
  }
}

/** POST /instructor/sign-in */
export async function handleSignIn(request: Request, ctx: Context): Promise<Response> {
  const form = await guardPost(request, ctx, { signedIn: false });
  if (form instanceof Response) return form;
  const result = await signInInstructor(ctx, form.get("password") ?? "", clientIp(request.headers, ctx.config.trustProxyHops));
  return result.ok ? back(ctx, {}, [result.cookie]) : back(ctx, { error: result.reason });
}

/** POST /instructor/sign-out */
export async function handleSignOut(request: Request, ctx: Context): Promise<Response> {
  const form = await guardPost(request, ctx, { signedIn: false });
  if (form instanceof Response) return form;
  return back(ctx, { done: "signed_out" }, [await signOutInstructor(ctx, request)]);
}

/**
 * POST /instructor/lifetimes: `intent=apply` with the three fields, or `intent=configured`. `configured`
 * is the configuration before the instructor's lifetimes (an empty field means its value).
 */
export async function handleLifetimes(request: Request, ctx: Context, configured: Config = ctx.config): Promise<Response> {
  const form = await guardPost(request, ctx);
  if (form instanceof Response) return form;
  if (form.get("intent") === "configured") {
    await updateRuntimeSettings(ctx.db, CONFIGURED_LIFETIMES);
    return back(ctx, { done: "lifetimes_configured" });
  }
  const parsed = parseLifetimes(form);
  if ("error" in parsed) return back(ctx, { error: "lifetimes", field: parsed.field });
  const conflict = lifetimesConflict(parsed.lifetimes, configured);
  if (conflict)
    return back(ctx, { error: "lifetimes_conflict", access: String(conflict.accessToken), refresh: String(conflict.refreshToken) });
  await updateRuntimeSettings(ctx.db, parsed.lifetimes);
  return back(ctx, { done: "lifetimes" });
}

/** POST /instructor/expire: `run=<correlation id>`. */
export async function handleExpire(request: Request, ctx: Context): Promise<Response> {
  const form = await guardPost(request, ctx);
  if (form instanceof Response) return form;
  const run = form.get("run") ?? "";
  if (!CORRELATION_ID.test(run)) return text(400, "run must be a run's correlation id.");
  const id = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" && /^[\w.-]{1,256}$/.test(value) ? value : undefined;
  };
  const { codes, accessTokens } = await expireRunNow(ctx, run, { clientId: id("client"), userId: id("user") });
  return back(ctx, { done: "expired", run, codes: String(codes), tokens: String(accessTokens) });
}

/** POST /instructor/lockouts: `key=<the lockout's key>` lifts it. */
export async function handleLiftLockout(request: Request, ctx: Context): Promise<Response> {
  const form = await guardPost(request, ctx);
  if (form instanceof Response) return form;
  const key = form.get("key") ?? "";
  if (!(await liftLockout(ctx, key))) return text(400, "key must be a sign-in lockout's key.");
  return back(ctx, { done: "lockout_lifted", key });
}

/** POST /instructor/reset/confirm: `confirm=reset`, sent only by the confirmation page. */
export async function handleReset(request: Request, ctx: Context): Promise<Response> {
  const form = await guardPost(request, ctx);
  if (form instanceof Response) return form;
  if (form.get("confirm") !== "reset") return text(400, "The reset needs its confirmation (confirm=reset).");
  await resetToSeed(ctx.db, ctx.config, { keepRegisteredClients: true });
  return back(ctx, { done: "reset" });
}

/** GET /instructor/events: the live stream (text/event-stream), for the signed-in instructor only. */
export async function handleEvents(request: Request, ctx: Context): Promise<Response> {
  if (!ctx.config.workshop.enabled) return notFound();
  if (!(await isInstructor(ctx, request))) return text(401, "Sign in at /instructor first.");
  const lastEventId = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after");
  const after = lastEventId !== null && /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : undefined;
  const body = instructorEventStream(ctx.db, {
    after,
    signal: request.signal,
    stillAuthorized: () => isInstructor({ ...ctx, now: new Date() }, request),
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      // Proxies such as nginx buffer responses unless told not to; an event stream must flow.
      "X-Accel-Buffering": "no",
    },
  });
}
