import type { Run } from "@/lib/client/nextauth/run";
import { summarizeSteps } from "@/lib/client/nextauth/run";
import { runName } from "@/lib/run-name";

const ROLE_LABEL: Record<string, string> = {
  browser: "browser",
  client: "client",
  "authorization-server": "authorization server",
  "resource-server": "resource server",
};

/** "What next-auth just did": the seven steps of this session's run, from the recorded flow events. */
export function FlowPanel({ run }: { run: Run | { error: string } | null }) {
  return (
    <aside aria-labelledby="panel-heading" className="rounded-xl border border-slate-200 bg-slate-50 p-5">
      <h2 id="panel-heading" className="text-lg font-semibold">
        What next-auth just did
      </h2>
      {!run && <p className="mt-2 text-slate-700">Sign in, and the seven steps of your run appear here as they happen.</p>}
      {run && "error" in run && (
        <p role="status" className="mt-2 text-amber-900">
          The run&apos;s events could not be loaded: {run.error}
        </p>
      )}
      {run && "events" in run && (
        <>
          <p className="mt-1 text-sm text-slate-600">
            Run <code>{runName(run.correlationId)}</code>, from GET /api/flow-events.
          </p>
          <ol aria-label="The seven steps in this run" className="mt-3 space-y-3">
            {summarizeSteps(run.events).map((s) => (
              <li key={s.step} className={s.performed ? "" : "text-slate-600"}>
                <p className="font-medium">
                  <span className={`mr-1 inline-block rounded px-1.5 text-sm text-white ${s.performed ? "bg-slate-800" : "bg-slate-600"}`}>
                    Step {s.step}
                  </span>
                  {s.title} <span className={s.performed ? "text-emerald-700" : "text-slate-600"}>({s.status})</span>
                </p>
                {s.events.length > 0 && (
                  <ul aria-label={`Events of step ${s.step}`} className="mt-1 space-y-0.5 pl-4 text-sm">
                    {s.events.map((e) => (
                      <li key={`${e.id}-${e.at}-${e.role}`} className={e.outcome === "error" ? "text-red-800" : "text-slate-800"}>
                        <span className="text-slate-600">{ROLE_LABEL[e.role] ?? e.role}:</span> {e.name}
                        {e.outcome === "error" && " (error)"}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </aside>
  );
}
