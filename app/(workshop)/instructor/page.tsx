import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getConfig } from "@/lib/config";
import { CORRELATION_ID } from "@/lib/workshop/instructor/expire";
import {
  conflictError,
  effectiveLifetimes,
  LIFETIME_NAMES,
  LIFETIMES,
  lifetimeError,
  type LifetimeName,
} from "@/lib/workshop/instructor/lifetimes";
import { activeLockouts, lockoutLabel } from "@/lib/workshop/instructor/lockouts";
import { parseLoginLimitKey } from "@/lib/rate-limit";
import { clockTime } from "@/app/_components/clock-time";
import { IDLE_AFTER_SECONDS } from "@/lib/workshop/instructor/runs";
import { runName } from "@/lib/run-name";
import { count } from "@/app/_components/count";
import { instructorCookieName, isInstructor } from "@/lib/workshop/instructor/session";
import { readRuntimeSettings } from "@/lib/records/runtime-settings";
import { requestContext } from "@/lib/server-context";
import { LiveRuns } from "./_components/live-runs";

export const metadata: Metadata = { title: "Instructor view", referrer: "same-origin" };

const button = "inline-flex items-center rounded-md px-4 py-2 text-base font-semibold";
const primary = `${button} bg-blue-700 text-white hover:bg-blue-800`;
const secondary = `${button} border border-slate-500 bg-white text-slate-900 hover:bg-slate-100`;
const danger = `${button} border border-red-700 bg-white text-red-800 hover:bg-red-50`;

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

const SIGN_IN_ERRORS: Record<string, string> = {
  wrong_password: "That is not the instructor password.",
  rate_limited: "Too many failed attempts from this address. Wait a few minutes and try again.",
};

function doneMessage(params: Record<string, string | string[] | undefined>): string | undefined {
  switch (one(params.done)) {
    case "lifetimes":
      return "Lifetimes saved: every new code and token gets them.";
    case "lifetimes_configured":
      return "Back to the configured lifetimes.";
    case "expired": {
      // The page's own redirect names the run; anything else in the URL is not shown.
      const run = one(params.run);
      if (!run || !CORRELATION_ID.test(run)) return undefined;
      const amount = (v: string | undefined) => (v && /^\d{1,6}$/.test(v) ? Number(v) : 0);
      return `Run ${runName(run)}: ${count(amount(one(params.codes)), "code")} and ${count(amount(one(params.tokens)), "access token")} expired now.`;
    }
    case "lockout_lifted": {
      const who = parseLoginLimitKey(one(params.key) ?? "");
      return who ? `Lifted the sign-in lockout of ${lockoutLabel(who)}: the next sign-in there is counted afresh.` : undefined;
    }
    case "reset":
      return "The workshop's data was reset: runs, events, codes, tokens and sign-ins are gone; participants' registered clients stay.";
    case "signed_out":
      return "Signed out.";
    default:
      return undefined;
  }
}

/**
 * /instructor (workshop mode only; 404 otherwise): the instructor's password, then the room's live runs,
 * the lifetimes of codes and tokens, "expire now" per run, and the workshop reset (lib/workshop/instructor).
 */
export default async function InstructorPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requestContext();
  if (!ctx.config.workshop.enabled) notFound();
  const params = await searchParams;
  const signedIn = await isInstructor(ctx, (await cookies()).get(instructorCookieName(ctx.config.secureCookies))?.value);
  const done = doneMessage(params);

  if (!signedIn) {
    const error = SIGN_IN_ERRORS[one(params.error) ?? ""];
    const signedOut = one(params.done) === "signed_out" ? done : undefined;
    return (
      <div className="mx-auto max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-2xl font-semibold">Instructor view</h1>
        <p className="mt-2 text-slate-700">
          The live view of every participant&apos;s runs and the workshop&apos;s controls. Participants see only their own runs.
        </p>
        {signedOut && (
          <p role="status" className="mt-4 rounded-md bg-blue-50 p-3 text-blue-900">
            {signedOut}
          </p>
        )}
        {error && (
          <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-red-800">
            {error}
          </p>
        )}
        <form method="post" action="/instructor/sign-in" className="mt-6 space-y-4">
          <div>
            <label htmlFor="password" className="block font-medium">
              Instructor password
            </label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              maxLength={256}
              autoFocus
              className="mt-1 w-full rounded-md border border-slate-500 px-3 py-2"
            />
          </div>
          <button type="submit" className={`${primary} w-full justify-center`}>
            Sign in
          </button>
        </form>
      </div>
    );
  }

  const lifetimes = effectiveLifetimes(getConfig(), await readRuntimeSettings(ctx.db));
  const lockouts = await activeLockouts(ctx);
  const lifetimeField = one(params.field);
  const seconds = (v: string | undefined) => (v && /^\d{1,8}$/.test(v) ? Number(v) : undefined);
  const [conflictAccess, conflictRefresh] = [seconds(one(params.access)), seconds(one(params.refresh))];
  const lifetimesError =
    one(params.error) === "lifetimes" && LIFETIME_NAMES.includes(lifetimeField as LifetimeName)
      ? lifetimeError(lifetimeField as LifetimeName)
      : one(params.error) === "lifetimes_conflict" && conflictAccess !== undefined && conflictRefresh !== undefined
        ? conflictError({ accessToken: conflictAccess, refreshToken: conflictRefresh })
        : undefined;
  return (
    <div className="space-y-8">
      <header className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-3xl font-bold sm:text-4xl">Instructor view</h1>
        <form method="post" action="/instructor/sign-out">
          <button type="submit" className={secondary}>
            Sign out
          </button>
        </form>
      </header>
      {done && (
        <p role="status" className="rounded-md bg-blue-50 p-3 text-blue-900">
          {done}
        </p>
      )}

      <section id="lockouts" aria-labelledby="lockouts-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="lockouts-heading" className="text-2xl font-semibold">
          Sign-in lockouts
        </h2>
        <p className="text-slate-700">
          After {ctx.config.loginMaxFailures} wrong passwords within {Math.round(ctx.config.loginWindow / 60)} min, sign-in is refused there
          until the window passes ({ctx.config.loginMaxFailures * 4} from one address lock every account from it). In workshop mode the demo
          accounts are counted per browser, so one participant&apos;s typos lock only their own browser. The list follows the room: it is
          drawn again after a failed sign-in and when a lockout lifts by itself (as of {clockTime(ctx.now.toISOString())}).
        </p>
        {lockouts.length === 0 ? (
          <p>No one is locked out of signing in.</p>
        ) : (
          <table className="w-full text-left">
            <caption className="sr-only">Active sign-in lockouts</caption>
            <thead>
              <tr>
                <th scope="col" className="pr-4">
                  locked out
                </th>
                <th scope="col" className="pr-4">
                  failures
                </th>
                <th scope="col" className="pr-4">
                  lifts by itself at
                </th>
                <th scope="col">
                  <span className="sr-only">action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {lockouts.map((l) => (
                <tr key={l.key} className="border-t border-slate-200">
                  <th scope="row" className="py-2 pr-4 font-normal">
                    {l.label}
                  </th>
                  <td className="py-2 pr-4 font-mono">{l.failures}</td>
                  <td className="py-2 pr-4 font-mono">
                    <time dateTime={l.liftsAt}>{clockTime(l.liftsAt)}</time>
                  </td>
                  <td className="py-2">
                    <form method="post" action="/instructor/lockouts">
                      <input type="hidden" name="key" value={l.key} />
                      <button type="submit" aria-label={`Lift the lockout of ${l.label}`} className={secondary}>
                        Lift
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <LiveRuns idleAfterSeconds={IDLE_AFTER_SECONDS} nextLockoutLift={lockouts.map((l) => l.liftsAt).sort()[0]} />

      <section aria-labelledby="lifetimes-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="lifetimes-heading" className="text-2xl font-semibold">
          Lifetimes
        </h2>
        <p className="text-slate-700">
          Every code and token issued from now on gets these lifetimes, in every participant&apos;s run. Short ones (a code of 20 s, an
          access token of 30 s) let the room watch expiry and refresh happen. The API allows 30 s of clock skew past a token&apos;s expiry
          (RFC 9068 §4), so it refuses an access token of 30 s about a minute after issuing it; &ldquo;Expire now&rdquo; takes effect at
          once. A refresh token must live at least as long as the access token it renews. Leave a field empty for the configured lifetime.
        </p>
        <table className="text-left">
          <caption className="sr-only">Lifetimes in effect</caption>
          <thead>
            <tr>
              <th scope="col" className="pr-6">
                lifetime
              </th>
              <th scope="col" className="pr-6">
                in effect
              </th>
              <th scope="col">configured</th>
            </tr>
          </thead>
          <tbody>
            {LIFETIME_NAMES.map((n) => (
              <tr key={n}>
                <th scope="row" className="pr-6 font-normal">
                  {LIFETIMES[n].label.replace(" (seconds)", "")}
                </th>
                <td className="pr-6 font-mono">{`${lifetimes[n].seconds} s${lifetimes[n].overridden ? " (set here)" : ""}`}</td>
                <td className="font-mono">{`${lifetimes[n].configured} s`}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {lifetimesError && (
          <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
            {lifetimesError}
          </p>
        )}
        <form method="post" action="/instructor/lifetimes" className="flex flex-wrap items-end gap-4">
          {LIFETIME_NAMES.map((n) => (
            <div key={n}>
              <label htmlFor={n} className="block font-medium">
                {LIFETIMES[n].label}
              </label>
              <input
                id={n}
                name={n}
                type="number"
                inputMode="numeric"
                min={LIFETIMES[n].min}
                max={LIFETIMES[n].max}
                step={1}
                defaultValue={lifetimes[n].overridden ? lifetimes[n].seconds : ""}
                placeholder={String(lifetimes[n].configured)}
                aria-describedby={`${n}-range`}
                className="mt-1 w-44 rounded-md border border-slate-500 px-3 py-2 font-mono"
              />
              <p id={`${n}-range`} className="text-sm text-slate-700">
                {LIFETIMES[n].min}–{LIFETIMES[n].max} s
              </p>
            </div>
          ))}
          <div className="flex gap-3 pb-6">
            <button type="submit" name="intent" value="apply" className={primary}>
              Apply lifetimes
            </button>
            <button type="submit" name="intent" value="configured" formNoValidate className={secondary}>
              Use the configured lifetimes
            </button>
          </div>
        </form>
      </section>

      <section aria-labelledby="reset-heading" className="space-y-3 rounded-lg border border-red-200 bg-white p-4">
        <h2 id="reset-heading" className="text-2xl font-semibold">
          Reset the workshop
        </h2>
        <p className="text-slate-700">
          Erases every run, flow event, code, token, sign-in and note, and the lifetimes set here; keeps the demo users, the signing keys
          and the clients participants registered. You will be asked to confirm.
        </p>
        <Link href="/instructor/reset" className={danger}>
          Reset the workshop&apos;s data…
        </Link>
      </section>
    </div>
  );
}
