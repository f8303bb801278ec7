import { LANES, laneIndex, laneName, type DiagramRow } from "@/lib/client/walkthrough/sequence";
import { HttpExchangeView } from "./http-exchange";
import { Time } from "@/app/(shared)/_components/time";

const ROLE_NAMES: Record<string, string> = {
  browser: "the client (on the browser's behalf)", client: "the client app server",
  "authorization-server": "the authorization server", "resource-server": "the resource server",
};

/** The lanes' vertical lifelines, behind every row. */
function Lifelines() {
  return (
    <span aria-hidden="true" className="pointer-events-none absolute inset-0">
      {LANES.map((l, i) => <span key={l.lane} className="absolute inset-y-0 w-px bg-slate-300" style={{ left: `${i * 25 + 12.5}%` }} />)}
    </span>
  );
}

/** An arrow between two lanes' lifelines, or a note on one. */
function Arrow({ row }: { row: DiagramRow }) {
  const a = laneIndex(row.from);
  const b = laneIndex(row.to);
  const color = row.outcome === "ok" ? "bg-blue-700 text-blue-700" : "bg-red-700 text-red-700";
  if (a === b) {
    return <span aria-hidden="true" className={`absolute top-[3.05rem] size-3 -translate-x-1/2 rounded-full ${color}`} style={{ left: `${a * 25 + 12.5}%` }} />;
  }
  const left = Math.min(a, b) * 25 + 12.5;
  return (
    <span aria-hidden="true" className={`absolute top-[3.4rem] h-0.5 ${color}`} style={{ left: `${left}%`, width: `${Math.abs(b - a) * 25}%` }}>
      <span className={`absolute -top-[0.7rem] text-lg leading-none ${b > a ? "-right-1" : "-left-1"}`}>{b > a ? "▶" : "◀"}</span>
    </span>
  );
}

const httpLabel = (row: DiagramRow) => {
  const { request, response } = row.http ?? {};
  const parts = [request ? `${request.method} ${new URL(request.url, "http://x").pathname}` : "", response ? String(response.status) : ""].filter(Boolean);
  return parts.length ? ` · ${parts.join(" → ")}` : "";
};

/**
 * The run as a sequence diagram with four lanes, from the recorded flow events of every role. Each row
 * is a disclosure: it opens the HTTP exchange as that role recorded it (secrets masked).
 */
export function SequenceDiagram({ rows, current, eventsError }: { rows: DiagramRow[]; current: number[]; eventsError?: string }) {
  return (
    <section id="diagram" aria-labelledby="diagram-title" className="scroll-mt-4 rounded-xl border border-slate-200 bg-white p-5 sm:p-6">
      <h2 id="diagram-title" className="text-2xl font-semibold">Sequence diagram of this run</h2>
      <p className="mt-2 text-lg text-slate-800">
        Drawn from the events each role recorded: the client&apos;s own (in this app) and the authorization and resource servers&apos; (fetched from
        the authorization server&apos;s <code>/api/flow-events</code>). Rows of the current step are highlighted; open a row to see its HTTP exchange.
      </p>
      {eventsError && <p role="alert" className="mt-2 rounded-md bg-amber-50 p-2 text-amber-900">The servers&apos; events could not be loaded: {eventsError}</p>}
      <div aria-hidden="true" className="sticky top-0 z-10 mt-4 grid grid-cols-4 border-b-2 border-slate-400 bg-white py-2 text-center text-base font-semibold">
        {LANES.map((l) => <span key={l.lane}>{l.name}</span>)}
      </div>
      {rows.length === 0 && <p className="py-4 text-slate-600">No events yet: they appear as the run goes.</p>}
      <ol aria-label="Recorded events of this run, oldest first">
        {rows.map((row) => {
          const highlighted = current.includes(row.step);
          const a = laneIndex(row.from);
          const b = laneIndex(row.to);
          // A message's label spans the lanes it joins; a note's is centred on its lane, two lanes wide.
          const labelLeft = a === b ? Math.min(Math.max(a * 25 - 12.5, 0), 50) : Math.min(a, b) * 25;
          const labelWidth = a === b ? 50 : (Math.abs(b - a) + 1) * 25;
          return (
            <li key={row.key} aria-current={highlighted ? "step" : undefined} className={highlighted ? "bg-blue-50" : undefined}>
              <details className="group">
                <summary className="relative block h-16 cursor-pointer list-none hover:bg-slate-100 [&::-webkit-details-marker]:hidden">
                  <Lifelines />
                  <Arrow row={row} />
                  <span className="absolute top-1 line-clamp-2 px-1 text-center text-sm leading-tight" style={{ left: `${labelLeft}%`, width: `${labelWidth}%` }}>
                    <span aria-hidden="true" className="mr-1 inline-block transition-transform group-open:rotate-90">▸</span>
                    <span className="font-semibold">{row.step}</span>{" "}
                    <span className="sr-only">{`Step ${row.step}, ${laneName(row.from)}${row.from === row.to ? "" : ` to ${laneName(row.to)}`}: `}</span>
                    <span className={row.outcome === "ok" ? "" : "text-red-800"}>{row.name}{httpLabel(row)}</span>
                  </span>
                </summary>
                <div className="border-l-4 border-slate-300 bg-slate-50 p-4">
                  <p className="font-semibold">{row.name}</p>
                  <p className="text-base text-slate-700">
                    Step {row.step}, recorded by {ROLE_NAMES[row.recordedBy] ?? row.recordedBy} at <Time iso={row.at} />: {row.outcome === "ok" ? "succeeded" : "failed or refused"}.
                  </p>
                  {row.http && <div className="mt-3"><HttpExchangeView http={row.http} /></div>}
                  {row.detail && <Detail detail={row.detail} />}
                </div>
              </details>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

const HIDDEN_DETAIL = new Set(["from", "to", "startedAt", "wanted", "origin"]);

function Detail({ detail }: { detail: Record<string, unknown> }) {
  const entries = Object.entries(detail).filter(([k]) => !HIDDEN_DETAIL.has(k));
  if (entries.length === 0) return null;
  return (
    <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-base">
      {entries.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="font-mono font-semibold">{k}</dt>
          <dd className="break-all font-mono">{typeof v === "string" ? v : JSON.stringify(v)}</dd>
        </div>
      ))}
    </dl>
  );
}
