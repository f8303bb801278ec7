import type { ReactNode } from "react";

/** Where the run is: a step it is at ("current"), and among them the one that shows the newest exchange ("here"). */
export type StepMark = false | "current" | "here";

/** One of the seven steps: a section the step list links to, highlighted while the run is at it. */
export function StepSection({ id, number, title, current, children }: {
  id: string; number: string; title: string; current: StepMark; children: ReactNode;
}) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} aria-current={current ? "step" : undefined}
      className={`scroll-mt-4 rounded-xl border bg-white p-5 sm:p-6 ${current ? "border-blue-600 ring-2 ring-blue-600" : "border-slate-200"}`}>
      <h2 id={`${id}-title`} className="text-2xl font-semibold">
        <span className="mr-1 inline-block rounded-md bg-slate-900 px-2 text-white">Step {number}</span>{" "}{title}
      </h2>
      {current === "here" && <p className="mt-1 text-base font-semibold text-blue-700">You are here.</p>}
      <div className="mt-3 space-y-4 text-lg leading-relaxed text-slate-800">{children}</div>
    </section>
  );
}

/** A name–value–meaning table (request values, parameters, claims). */
export function ValueTable({ caption, rows }: { caption: string; rows: { name: string; value: ReactNode; meaning?: ReactNode }[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-left text-base">
        <caption className="mb-1 text-left font-semibold text-slate-900">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-300 text-sm text-slate-600">
            <th scope="col" className="py-1 pr-3">name</th><th scope="col" className="py-1 pr-3">value</th><th scope="col" className="py-1">what it is</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} className="border-b border-slate-100 align-top">
              <th scope="row" className="py-1.5 pr-3 font-mono font-semibold">{r.name}</th>
              <td className="max-w-md break-all py-1.5 pr-3 font-mono">{r.value}</td>
              <td className="py-1.5 text-slate-700">{r.meaning ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
