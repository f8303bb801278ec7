"use client";
import { useActionState } from "react";
import type { SelfCheckReport } from "@/lib/lab/self-check";
import { buttonClass, Exchanges } from "../lab/_components/exchanges";
import { runSelfCheckAction } from "./actions";

/** The button and the report: one line per requirement, with its RFC section and pass or fail. */
export function SelfCheckRunner() {
  const [report, run, pending] = useActionState<SelfCheckReport | null>(runSelfCheckAction, null);
  const failed = report?.requirements.filter((r) => !r.pass) ?? [];
  return (
    <div className="space-y-6">
      <form action={run}>
        <button type="submit" className={buttonClass} disabled={pending}>{pending ? "Running the self-check…" : "Run the self-check"}</button>
      </form>
      {report && (
        <section aria-labelledby="self-check-result" className="space-y-4">
          <h2 id="self-check-result" className="text-2xl font-semibold">Result</h2>
          <p role="status" className={`rounded-md p-3 font-semibold ${report.passed ? "bg-green-50 text-green-900" : "bg-red-50 text-red-900"}`}>
            {report.passed
              ? `All ${report.requirements.length} requirements pass (${(report.durationMs / 1000).toFixed(1)} s).`
              : `${failed.length} of ${report.requirements.length} requirements fail.`}
          </p>
          <ul aria-label="Requirements" className="space-y-2">
            {report.requirements.map((r) => (
              <li key={r.id} className={`rounded-md border px-3 py-2 ${r.pass ? "border-green-300 bg-green-50" : "border-red-300 bg-red-50"}`}>
                <p className="font-semibold">
                  <span aria-hidden="true">{r.pass ? "✔ " : "✘ "}</span>
                  {r.rfc} — {r.title}: <span className={r.pass ? "text-green-800" : "text-red-800"}>{r.pass ? "pass" : "fail"}</span>
                </p>
                <p className="text-sm text-slate-700">{r.detail}</p>
              </li>
            ))}
          </ul>
          <details>
            <summary className="cursor-pointer font-semibold">The {report.exchanges.length} requests the self-check sent (secrets masked)</summary>
            <div className="mt-3"><Exchanges label="Requests sent" exchanges={report.exchanges} /></div>
          </details>
        </section>
      )}
    </div>
  );
}
