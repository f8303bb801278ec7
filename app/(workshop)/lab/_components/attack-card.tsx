"use client";
import { useActionState } from "react";
import type { AttackCard as Card, AttackResult } from "@/lib/workshop/lab/attacks";
import { Cited } from "../../../_components/cited";
import { count } from "../../../_components/count";
import { RecordGroups } from "../../../_components/server-records";
import { runAttackAction } from "../actions";
import { buttonClass, Exchanges } from "./exchanges";

/**
 * One attack: what it is, a button that runs it for real, and what the server answered. In lab mode, a
 * second button runs it against the weakened lab client, and both results stand side by side.
 */
export function AttackCard({ card, labMode }: { card: Card; labMode: boolean }) {
  const [result, run, pending] = useActionState(runAttackAction, null);
  const [weakResult, runWeak, weakPending] = useActionState(runAttackAction, null);
  const headingId = `attack-${card.id}`;
  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-slate-300 bg-white p-4 sm:p-6">
      <h2 id={headingId} className="text-2xl font-semibold">
        {card.title}
      </h2>
      <p>
        <strong>The attack:</strong> {card.attack}
      </p>
      <p>
        <strong>The defense:</strong> {card.defense}{" "}
        <span className="text-slate-700">
          (<Cited text={card.rfc} />)
        </span>
      </p>
      {labMode && (
        <p className="rounded-md border border-amber-400 bg-amber-50 p-3 text-amber-950">
          <strong>The weakened lab client (LAB MODE):</strong> {card.weakness}.
        </p>
      )}
      <div className="flex flex-wrap gap-3">
        <form action={run}>
          <input type="hidden" name="attack" value={card.id} />
          <button type="submit" className={buttonClass} disabled={pending}>
            {pending ? "Running…" : "Run the attack"}
          </button>
        </form>
        {labMode && (
          <form action={runWeak}>
            <input type="hidden" name="attack" value={card.id} />
            <input type="hidden" name="target" value="weakened" />
            <button type="submit" className={weakButtonClass} disabled={weakPending}>
              {weakPending ? "Running…" : "Run against the weakened client"}
            </button>
          </form>
        )}
      </div>
      {labMode ? (
        <>
          {result && <Outcome heading="With the defenses: the walkthrough client" id={`${headingId}-normal`} result={result} />}
          {weakResult && (
            <Outcome heading="Without the defense: the weakened lab client (LAB MODE)" id={`${headingId}-weakened`} result={weakResult} />
          )}
        </>
      ) : (
        result && <Body result={result} />
      )}
    </section>
  );
}

const weakButtonClass =
  "inline-flex items-center rounded-md border-2 border-amber-700 bg-amber-100 px-4 py-2 text-base font-semibold text-amber-950 hover:bg-amber-200 disabled:opacity-60";

function Outcome({ heading, id, result }: { heading: string; id: string; result: AttackResult | { error: string } }) {
  return (
    <section aria-labelledby={id} className="space-y-2 border-t border-slate-200 pt-3">
      <h3 id={id} className="text-xl font-semibold">
        {heading}
      </h3>
      <Body result={result} />
    </section>
  );
}

function Body({ result }: { result: AttackResult | { error: string } }) {
  if ("error" in result)
    return (
      <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
        {result.error}
      </p>
    );
  return <AttackResultView result={result} />;
}

function summary(result: AttackResult): string {
  const through = result.attempts.filter((a) => !a.refused).length;
  if (result.failure) return `The attack could not be run: ${result.failure}`;
  const n = result.attempts.length;
  if (result.refused) return n === 1 ? "Its one attempt was refused." : `All ${n} attempts were refused.`;
  return result.weakened
    ? `The attack succeeded: ${through} of ${count(n, "attempt")} got through the weakened client.`
    : `${through} of ${count(n, "attempt")} ${through === 1 ? "was" : "were"} NOT refused.`;
}

/** An attack's verdict, each attempt with the check that stopped it, and the requests sent (also shown on /learn). */
export function AttackResultView({ result }: { result: AttackResult }) {
  // Against the weakened client an attempt that got through is the expected lesson; against the real one, a fault.
  const through = result.weakened ? "succeeded" : "not refused";
  return (
    <div className="space-y-3">
      <p
        role="status"
        className={`rounded-md p-3 font-semibold ${result.refused ? "bg-green-50 text-green-900" : "bg-red-50 text-red-900"}`}
      >
        {summary(result)}
      </p>
      <ul aria-label="Attempts" className="space-y-2">
        {result.attempts.map((a, i) => (
          <li key={i} className={`rounded-md border px-3 py-2 ${a.refused ? "border-green-300 bg-green-50" : "border-red-300 bg-red-50"}`}>
            <p className="font-semibold">
              <span aria-hidden="true">{a.refused ? "✔ " : "✘ "}</span>
              {a.name}: <span className={a.refused ? "text-green-800" : "text-red-800"}>{a.refused ? "refused" : through}</span>
            </p>
            <p className="font-mono text-sm">
              {[a.status, a.error].filter((x) => x !== undefined).join(" ")}
              {a.description ? ` — ${a.description}` : ""}
            </p>
            {a.evidence && (
              <p className="text-sm">
                What the attacker got: <strong>{a.evidence}</strong>
              </p>
            )}
            <p className="text-sm">
              {a.refused ? "Stopped by" : "The check that stops it"}: <strong>{a.check}</strong> (<Cited text={a.rfc} />)
            </p>
          </li>
        ))}
      </ul>
      <details>
        <summary className="cursor-pointer font-semibold">The {result.exchanges.length} requests sent (secrets masked)</summary>
        <div className="mt-3">
          <Exchanges label="Requests sent" exchanges={result.exchanges} />
        </div>
      </details>
      {result.records && (
        <section
          aria-labelledby={`records-${result.id}${result.weakened ? "-weakened" : ""}`}
          className="space-y-3 rounded-md border border-slate-200 p-3"
        >
          <h3 id={`records-${result.id}${result.weakened ? "-weakened" : ""}`} className="text-xl font-semibold">
            The authorization server&apos;s records of the attacked grant
          </h3>
          <p className="text-base text-slate-700">
            Read from its database after the attack (<code>GET /api/flow-state</code>): each record&apos;s states over time. Codes and
            refresh tokens are named by a few characters of their stored SHA-256 hash, access tokens by their jti.
          </p>
          <RecordGroups state={result.records} level={4} idPrefix={`records-${result.id}${result.weakened ? "-weakened" : ""}`} />
        </section>
      )}
    </div>
  );
}
