"use client";
import { useActionState } from "react";
import { buttonClass, Exchanges } from "../lab/_components/exchanges";
import { runSelfCheckAction, type SelfCheckOutcome } from "./actions";

/** The button and the report: one line per requirement, with its RFC section and pass or fail. */
export function SelfCheckRunner() {
  const [outcome, run, pending] = useActionState<SelfCheckOutcome>(runSelfCheckAction, null);
  const report = outcome && "requirements" in outcome ? outcome : null;
  const failed = report?.requirements.filter((r) => !r.pass) ?? [];
  return (
    <div className="space-y-6">
      <form action={run}>
        <button type="submit" className={buttonClass} disabled={pending}>
          {pending ? "Running the self-check…" : "Run the self-check"}
        </button>
      </form>
      {outcome && "limited" in outcome && (
        <p role="status" className="rounded-md bg-red-50 p-3 font-semibold text-red-900">
          Too many self-check runs from this address: each one signs in for real, so it is limited as sign-in is. Try again later.
        </p>
      )}
      {report && (
        <section aria-labelledby="self-check-result" className="space-y-4">
          <h2 id="self-check-result" className="text-2xl font-semibold">
            Result
          </h2>
          <p
            role="status"
            className={`rounded-md p-3 font-semibold ${report.passed ? "bg-green-50 text-green-900" : "bg-red-50 text-red-900"}`}
          >
            {report.passed
              ? `All ${report.requirements.length} requirements pass (${(report.durationMs / 1000).toFixed(1)} s).`
              : `${failed.length} of ${report.requirements.length} requirements fail.`}
          </p>
          <ul aria-label="Requirements" className="space-y-2">
            {report.requirements.map((r) => (
              <li
                key={r.id}
                className={`rounded-md border px-3 py-2 ${r.pass ? "border-green-300 bg-green-50" : "border-red-300 bg-red-50"}`}
              >
                <p className="font-semibold">
                  <span aria-hidden="true">{r.pass ? "✔ " : "✘ "}</span>
                  {r.rfc} — {r.title}: <span className={r.pass ? "text-green-800" : "text-red-800"}>{r.pass ? "pass" : "fail"}</span>
                </p>
                <p className="text-sm text-slate-700">{r.detail}</p>
              </li>
            ))}
          </ul>
          <details>
            <summary className="cursor-pointer font-semibold">
              The {report.exchanges.length} requests the self-check sent (secrets masked)
            </summary>
            <div className="mt-3">
              <Exchanges label="Requests sent" exchanges={report.exchanges} />
            </div>
          </details>
        </section>
      )}
    </div>
  );
}
