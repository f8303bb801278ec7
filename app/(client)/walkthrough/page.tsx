import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { discoveryUrl } from "@/lib/client/core/discovery";
import { walkthroughContext } from "@/lib/client/walkthrough/server-context";
import { loadWalkthrough } from "@/lib/client/walkthrough/view";
import { ActionButton, buttonClass } from "./_components/action-button";
import { Failures } from "./_components/failures";
import { Cited } from "@/app/_components/cited";
import { SequenceDiagram } from "./_components/sequence-diagram";
import { ServerRecords } from "@/app/_components/server-records";
import { StepCallApi, StepApiAnswer } from "./_components/step-api";
import { StepAuthorize } from "./_components/step-authorize";
import type { StepMark } from "./_components/step-section";
import { DEFAULT_OPTIONS, hereStep, nextStep, optionsOf, type RunOptions } from "@/lib/client/walkthrough/run";
import { NextBar } from "./_components/next-bar";
import { StepCallback, StepLogin } from "./_components/step-callback";
import { StepExchange, StepTokenResponse } from "./_components/step-tokens";
import { Time } from "@/app/_components/time";
import { runName } from "@/lib/run-name";

export const metadata: Metadata = { title: "Walkthrough" };

const STEPS = [
  "The client sends the browser to the authorization server",
  "The user signs in and consents",
  "The browser comes back with a code",
  "The client exchanges the code (back channel)",
  "Tokens: access, refresh, ID",
  "The client calls the API",
  "The API answers; refresh when expired",
];

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

/**
 * Starts a run as the demo client or as a participant's own registration (/clients/new). The secret goes
 * to the client's server with the form and is never rendered back.
 */
/** The start form's switches beyond the seven steps (lib/client/walkthrough/run.ts RunOptions). */
const RUN_OPTIONS: { name: keyof RunOptions; label: string; help: string }[] = [
  {
    name: "par",
    label: "Use PAR",
    help: "Push the authorization request to the authorization server first (RFC 9126): the link the browser follows then carries only a one-time reference, so nobody can change the request on its way.",
  },
  {
    name: "dpop",
    label: "Bind tokens with DPoP",
    help: "The client makes a key pair for the run and signs a proof for every token and API request (RFC 9449): its tokens then work only with that key, so a stolen token is useless.",
  },
];

function StartForm({ label, demoClientId, options = DEFAULT_OPTIONS }: { label: string; demoClientId: string; options?: RunOptions }) {
  return (
    <form method="post" action="/walkthrough/action" className="max-w-xl space-y-4">
      <div>
        <label htmlFor="client_id" className="block font-medium">
          Client ID
        </label>
        <input
          id="client_id"
          name="client_id"
          defaultValue={demoClientId}
          required
          maxLength={256}
          autoComplete="off"
          spellCheck={false}
          aria-describedby="client-id-hint"
          className="mt-1 w-full rounded-md border border-slate-400 px-3 py-2 font-mono"
        />
        <p id="client-id-hint" className="mt-1 text-sm text-slate-700">
          <code className="font-mono">{demoClientId}</code> is the demo client, whose secret this server knows. To use your own client,{" "}
          <Link className="text-blue-800 underline" href="/clients/new">
            register one
          </Link>{" "}
          and enter its client_id.
        </p>
      </div>
      <div>
        <label htmlFor="client_secret" className="block font-medium">
          Client secret (leave empty for a public client)
        </label>
        <input
          id="client_secret"
          name="client_secret"
          type="password"
          maxLength={512}
          autoComplete="off"
          className="mt-1 w-full rounded-md border border-slate-400 px-3 py-2 font-mono"
        />
      </div>
      <fieldset className="rounded-lg border border-slate-300 p-4">
        <legend className="px-1 font-semibold">Beyond bearer tokens (optional)</legend>
        {RUN_OPTIONS.map((option, i) => (
          <div key={option.name} className={`flex items-start gap-2${i > 0 ? " mt-3" : ""}`}>
            <input
              id={`option-${option.name}`}
              type="checkbox"
              name={option.name}
              value="on"
              defaultChecked={options[option.name]}
              aria-describedby={`option-${option.name}-help`}
              className="mt-1.5 size-5"
            />
            <span>
              <label htmlFor={`option-${option.name}`} className="font-semibold">
                {option.label}
              </label>
              <span id={`option-${option.name}-help`} className="block text-base text-slate-700">
                {option.help}
              </span>
            </span>
          </div>
        ))}
      </fieldset>
      <button type="submit" name="intent" value="start" className={buttonClass("primary")}>
        {label}
      </button>
    </form>
  );
}

/**
 * /walkthrough: a hand-built confidential client that shows each of the seven steps with the real HTTP
 * messages. All protocol work happens on the server (lib/client/core, driven by lib/client/walkthrough); the page renders the run.
 */
export default async function WalkthroughPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const ctx = await walkthroughContext();
  const view = await loadWalkthrough(ctx, (await headers()).get("cookie"), { run: one(params.run), refused: one(params.refused) });
  const { client } = ctx;

  const intro = (
    <header className="space-y-3">
      <h1 className="text-3xl font-bold sm:text-4xl">Walkthrough: the authorization code grant, step by step</h1>
      <p className="max-w-4xl text-lg text-slate-700">
        This page is a <strong>confidential client</strong> built by hand, so nothing is hidden: its server makes every request you see
        below, against the real authorization server at <code className="font-mono">{client.issuer}</code> (found through{" "}
        <code className="break-all font-mono">{discoveryUrl(client.issuer)}</code>) and the real API at{" "}
        <code className="font-mono">{client.resourceServerUrl}</code>. Its state, codes and tokens stay on its server; your browser holds
        only a cookie naming your run.
      </p>
    </header>
  );

  if (view.kind !== "run") {
    return (
      <div className="space-y-6">
        {intro}
        {view.kind === "none" && view.refusedWithoutRun && (
          <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
            An authorization response arrived at the redirect URI, but this browser has no walkthrough run waiting for one: it was refused
            (CSRF protection, RFC 6749 §10.12).
          </p>
        )}
        {view.kind === "not-found" && (
          <p role="alert" className="rounded-md bg-amber-50 p-3 text-amber-900">
            This run is not one of this browser&apos;s runs (each browser sees only its own), or it has expired.{" "}
            <Link className="underline" href="/walkthrough">
              Go to your latest run
            </Link>{" "}
            or start a new one.
          </p>
        )}
        <StartForm label="Start the walkthrough" demoClientId={client.clientId} />
      </div>
    );
  }

  const { run, metadata, current, rows, now } = view;
  const here = hereStep(current);
  const mark = (n: number): StepMark => (n === here ? "here" : current.includes(n) ? "current" : false);
  // Steps the run has moved past fold their long tables away.
  const finished = (n: number) => n < Math.min(...current);
  const runClient = view.client;
  return (
    <div className="space-y-6 pb-24">
      {intro}
      <section
        aria-label="This run"
        className="flex flex-wrap items-center gap-4 rounded-lg border border-slate-200 bg-white p-4 text-base"
      >
        <p>
          Run <code className="font-mono font-semibold">{runName(run.correlationId)}</code>, started{" "}
          <Time iso={run.createdAt.toISOString()} />
        </p>
        <p>
          Client <code className="font-mono font-semibold">{runClient.clientId}</code>:{" "}
          {runClient.isDemo ? "the demo client" : "your own client"},{" "}
          {runClient.isPublic ? "public (no secret: PKCE alone binds the code to this client)" : "confidential (client_secret_post)"}
        </p>
        {optionsOf(run.data).par && <p>With PAR: the request is pushed first (RFC 9126)</p>}
        {run.data.dpop && (
          <p>
            With DPoP: tokens bound to the key <code className="font-mono">{run.data.dpop.key.thumbprint}</code> (RFC 9449)
          </p>
        )}
        <ActionButton run={run.id} intent="start" variant="secondary">
          Start over
        </ActionButton>
        <details className="basis-full">
          <summary className="cursor-pointer text-blue-800 underline">Start a run with another client</summary>
          <div className="mt-3">
            <StartForm label="Start with this client" demoClientId={client.clientId} options={optionsOf(run.data)} />
          </div>
        </details>
        {view.otherRuns.length > 0 && (
          <nav aria-label="Your other runs in this browser" className="text-slate-700">
            Your other runs:{" "}
            {view.otherRuns.map((r, i) => (
              <span key={r.id}>
                {i > 0 && ", "}
                <Link className="font-mono text-blue-700 underline" href={`/walkthrough?run=${r.id}`}>
                  Run {r.name}
                </Link>
              </span>
            ))}
          </nav>
        )}
      </section>
      {one(params.conflict) && (
        <p role="status" className="rounded-md bg-amber-50 p-3 text-amber-900">
          Another tab or a double click changed this run first; this is the run as it is now.
        </p>
      )}
      {view.metadataError && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
          {view.metadataError}
        </p>
      )}
      {run.data.notice && (
        <p
          id="notice"
          role={run.data.notice.kind === "error" ? "alert" : "status"}
          className={`scroll-mt-4 rounded-md p-3 ${run.data.notice.kind === "error" ? "bg-red-50 text-red-800" : "bg-blue-50 text-blue-900"}`}
        >
          <Cited text={run.data.notice.text} />
        </p>
      )}

      <nav aria-label="Steps of the flow" className="rounded-lg border border-slate-200 bg-white p-4">
        <ol className="grid gap-2 text-base sm:grid-cols-2 lg:grid-cols-4">
          {STEPS.map((title, i) => (
            <li key={title}>
              <a
                href={`#step-${i + 1}`}
                aria-current={current.includes(i + 1) ? "step" : undefined}
                className={`block rounded-md px-2 py-1 ${current.includes(i + 1) ? "bg-blue-700 font-semibold text-white" : "text-blue-800 underline"}`}
              >
                {i + 1}. {title}
              </a>
            </li>
          ))}
          <li>
            <a href="#server-records" className="block rounded-md px-2 py-1 text-blue-800 underline">
              The server&apos;s records
            </a>
          </li>
          <li>
            <a href="#failures" className="block rounded-md px-2 py-1 text-blue-800 underline">
              Teach by failing
            </a>
          </li>
          <li>
            <a href="#diagram" className="block rounded-md px-2 py-1 text-blue-800 underline">
              Sequence diagram
            </a>
          </li>
        </ol>
      </nav>

      <NextBar run={run.id} next={nextStep(run.data)} canAuthorize={!!metadata} />

      <StepAuthorize
        run={run}
        metadata={metadata}
        clientId={runClient.clientId}
        redirectUri={client.redirectUri}
        current={mark(1)}
        finished={finished(1)}
      />
      <StepLogin run={run} issuer={client.issuer} rows={rows} current={mark(2)} />
      <StepCallback run={run} redirectUri={client.redirectUri} code={view.code} now={now} current={mark(3)} finished={finished(3)} />
      <StepExchange
        run={run}
        metadata={metadata}
        clientId={runClient.clientId}
        clientSecretPreview={runClient.secretPreview}
        current={mark(4)}
        finished={finished(4)}
      />
      <StepTokenResponse run={run} now={now} current={mark(5)} finished={finished(5)} />
      <StepCallApi run={run} resourceServerUrl={client.resourceServerUrl} current={mark(6)} />
      <StepApiAnswer run={run} now={now} current={mark(7)} answers={view.apiAnswers} />
      <ServerRecords state={view.serverState} error={view.serverStateError} />
      <Failures run={run} />
      <SequenceDiagram rows={rows} current={current} eventsError={view.eventsError} />
    </div>
  );
}
