"use client";
import { useActionState } from "react";
import type { AttackCard as Card, AttackResult } from "@/lib/lab/attacks";
import { Cited } from "../../_components/cited";
import { RecordGroups } from "../../_components/server-records";
import { runAttackAction } from "../actions";
import { buttonClass, Exchanges } from "./exchanges";

/** One attack: what it is, a button that runs it for real, and what the server answered. */
export function AttackCard({ card }: { card: Card }) {
  const [result, run, pending] = useActionState(runAttackAction, null);
  const headingId = `attack-${card.id}`;
  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-slate-300 bg-white p-4 sm:p-6">
      <h2 id={headingId} className="text-2xl font-semibold">{card.title}</h2>
      <p><strong>The attack:</strong> {card.attack}</p>
      <p><strong>The defense:</strong> {card.defense} <span className="text-slate-700">(<Cited text={card.rfc} />)</span></p>
      <form action={run}>
        <input type="hidden" name="attack" value={card.id} />
        <button type="submit" className={buttonClass} disabled={pending}>{pending ? "Running…" : "Run the attack"}</button>
      </form>
      {result && "error" in result && <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">{result.error}</p>}
      {result && "attempts" in result && <AttackResultView result={result} />}
    </section>
  );
}

/** An attack's verdict, each attempt with the check that stopped it, and the requests sent (also shown on /learn). */
export function AttackResultView({ result }: { result: AttackResult }) {
  return (
    <div className="space-y-3">
      <p role="status" className={`rounded-md p-3 font-semibold ${result.refused ? "bg-green-50 text-green-900" : "bg-red-50 text-red-900"}`}>
        {result.failure
          ? `The attack could not be run: ${result.failure}`
          : result.refused
            ? `All ${result.attempts.length} attempts were refused.`
            : `${result.attempts.filter((a) => !a.refused).length} of ${result.attempts.length} attempts were NOT refused.`}
      </p>
      <ul aria-label="Attempts" className="space-y-2">
        {result.attempts.map((a, i) => (
          <li key={i} className={`rounded-md border px-3 py-2 ${a.refused ? "border-green-300 bg-green-50" : "border-red-300 bg-red-50"}`}>
            <p className="font-semibold">
              <span aria-hidden="true">{a.refused ? "✔ " : "✘ "}</span>
              {a.name}: <span className={a.refused ? "text-green-800" : "text-red-800"}>{a.refused ? "refused" : "not refused"}</span>
            </p>
            <p className="font-mono text-sm">{a.status}{a.error ? ` ${a.error}` : ""}{a.description ? ` — ${a.description}` : ""}</p>
            <p className="text-sm">Stopped by: <strong>{a.check}</strong> (<Cited text={a.rfc} />)</p>
          </li>
        ))}
      </ul>
      {result.records && (
        <section aria-labelledby={`records-${result.id}`} className="space-y-3 rounded-md border border-slate-200 p-3">
          <h3 id={`records-${result.id}`} className="text-xl font-semibold">The authorization server&apos;s records of the attacked grant</h3>
          <p className="text-base text-slate-700">
            Read from its database after the attack (<code>GET /api/flow-state</code>): each record&apos;s states over time. Codes and refresh
            tokens are named by a few characters of their stored SHA-256 hash, access tokens by their jti.
          </p>
          <RecordGroups state={result.records} level={4} idPrefix={`records-${result.id}`} />
        </section>
      )}
      <details>
        <summary className="cursor-pointer font-semibold">The {result.exchanges.length} requests sent (secrets masked)</summary>
        <div className="mt-3"><Exchanges label="Requests sent" exchanges={result.exchanges} /></div>
      </details>
    </div>
  );
}
