import type { Check } from "@/lib/client/core/callback";
import { Cited } from "@/app/_components/cited";

/** A list of visible checks, each passed or failed, with what was compared. */
export function Checks({ label, checks }: { label: string; checks: Check[] }) {
  return (
    <ul aria-label={label} className="mt-3 space-y-2">
      {checks.map((c) => (
        <li key={c.name} className={`rounded-md border px-3 py-2 ${c.pass ? "border-green-300 bg-green-50" : "border-red-300 bg-red-50"}`}>
          <p className="font-semibold">
            <span aria-hidden="true">{c.pass ? "✔ " : "✘ "}</span>
            {c.name}: <span className={c.pass ? "text-green-800" : "text-red-800"}>{c.pass ? "passed" : "failed"}</span>
            <span className="ml-2 text-sm font-normal text-slate-700">
              (<Cited text={c.rfc} />)
            </span>
          </p>
          <p className="text-slate-800">{c.explanation}</p>
          {(c.expected !== undefined || c.actual !== undefined) && (
            <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-sm">
              {c.expected !== undefined && (
                <>
                  <dt className="text-slate-600">expected</dt>
                  <dd className="break-all font-mono">{c.expected}</dd>
                </>
              )}
              {c.actual !== undefined && (
                <>
                  <dt className="text-slate-600">received</dt>
                  <dd className="break-all font-mono">{c.actual ?? "(none)"}</dd>
                </>
              )}
            </dl>
          )}
        </li>
      ))}
    </ul>
  );
}
