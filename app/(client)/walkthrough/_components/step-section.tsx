import type { ReactNode } from "react";

/** Where the run is: a step it is at ("current"), and among them the one that shows the newest exchange ("here"). */
export type StepMark = false | "current" | "here";

/**
 * One of the seven steps: a section the step list links to, highlighted while the run is at it. Once the
 * run has moved past it (`done`, one line of what happened), its body folds away behind a disclosure, so
 * the reader stays where the action is.
 */
export function StepSection({
  id,
  number,
  title,
  current,
  done,
  children,
}: {
  id: string;
  number: string;
  title: string;
  current: StepMark;
  done?: string;
  children: ReactNode;
}) {
  const body = <div className="mt-3 space-y-4 text-lg leading-relaxed text-slate-800">{children}</div>;
  return (
    <section
      id={id}
      aria-labelledby={`${id}-title`}
      aria-current={current ? "step" : undefined}
      className={`scroll-mt-4 rounded-xl border bg-white p-3 sm:p-6 ${current ? "border-blue-600 ring-2 ring-blue-600" : "border-slate-200"}`}
    >
      <h2 id={`${id}-title`} className="text-2xl font-semibold">
        <span className="mr-1 inline-block rounded-md bg-slate-900 px-2 text-white">Step {number}</span> {title}
      </h2>
      {current === "here" && <p className="mt-1 text-base font-semibold text-blue-700">You are here.</p>}
      {done ? (
        <>
          <p className="mt-2 text-lg text-slate-800">
            <span className="font-semibold text-green-800">Done:</span> {done}
          </p>
          <details className="mt-2">
            <summary className="cursor-pointer font-semibold text-blue-800">Show step {number} again</summary>
            {body}
          </details>
        </>
      ) : (
        body
      )}
    </section>
  );
}

/**
 * A name–value–meaning table (request values, parameters, claims). On a phone it has two columns: the
 * meaning goes under the value, so neither is squeezed into a sliver (the third column's copy is hidden there).
 */
export function ValueTable({ caption, rows }: { caption: string; rows: { name: string; value: ReactNode; meaning?: ReactNode }[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-left text-base">
        <caption className="mb-1 text-left font-semibold text-slate-900">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-300 text-sm text-slate-600">
            <th scope="col" className="py-1 pr-3">
              name
            </th>
            <th scope="col" className="py-1 pr-3">
              value<span className="sm:hidden"> and what it is</span>
            </th>
            <th scope="col" className="hidden py-1 sm:table-cell">
              what it is
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} className="border-b border-slate-100 align-top">
              <th scope="row" className="max-w-[9rem] break-words py-1.5 pr-3 font-mono font-semibold sm:max-w-none">
                {r.name}
              </th>
              <td className="max-w-md py-1.5 pr-3">
                <span className="break-all font-mono">{r.value}</span>
                <span className="mt-1 block text-base text-slate-700 sm:hidden">{r.meaning ?? "—"}</span>
              </td>
              <td className="hidden py-1.5 text-slate-700 sm:table-cell">{r.meaning ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
