import type { ShownExchange } from "@/lib/workshop/lab/http";

const show = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value, null, 2));

/** The requests the lab sent and the answers, secrets masked, in order. */
export function Exchanges({ label, exchanges }: { label: string; exchanges: ShownExchange[] }) {
  return (
    <ol aria-label={label} className="space-y-3">
      {exchanges.map((x, i) => (
        <li key={i} className="rounded-md border border-slate-200 bg-white p-3 text-sm">
          <p className="font-semibold text-slate-900">
            {i + 1}. {x.label}
          </p>
          <pre className="mt-1 whitespace-pre-wrap break-all rounded bg-slate-100 p-2 font-mono">
            {x.method} {x.url}
            {x.body ? `\n\n${show(x.body)}` : ""}
          </pre>
          <p className="mt-1">
            <span className={x.status < 400 ? "font-semibold text-green-800" : "font-semibold text-red-800"}>{x.status}</span>
            {x.location && (
              <>
                {" "}
                → <code className="break-all font-mono">{x.location}</code>
              </>
            )}
          </p>
          {x.wwwAuthenticate && <p className="break-all font-mono text-slate-800">WWW-Authenticate: {x.wwwAuthenticate}</p>}
          {x.responseBody !== undefined && (
            <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-900 p-2 font-mono text-slate-50">
              {show(x.responseBody)}
            </pre>
          )}
        </li>
      ))}
    </ol>
  );
}

export const buttonClass =
  "inline-flex items-center rounded-md bg-blue-700 px-4 py-2 text-base font-semibold text-white hover:bg-blue-800 disabled:opacity-60";
