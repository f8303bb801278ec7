import { channelOf, LANES, laneIndex, laneName, type DiagramRow } from "@/lib/client/walkthrough/sequence";
import { Time } from "@/app/_components/time";
import { HttpExchangeView } from "./http-exchange";

const ROLE_NAMES: Record<string, string> = {
  browser: "the client (on the browser's behalf)",
  client: "the client app server",
  "authorization-server": "the authorization server",
  "resource-server": "the resource server",
};

const CHANNEL_WORDS = { front: "front channel, through the browser", back: "back channel, server to server", none: "" } as const;

/** The lanes' vertical lifelines, behind every row. */
function Lifelines() {
  return (
    <span aria-hidden="true" className="pointer-events-none absolute inset-0">
      {LANES.map((l, i) => (
        <span key={l.lane} className="absolute inset-y-0 w-px bg-slate-300" style={{ left: `${i * 25 + 12.5}%` }} />
      ))}
    </span>
  );
}

/**
 * An arrow between two lanes' lifelines, drawn as the overview's legend says: the front channel (through
 * the browser) dashed amber, the back channel (server to server) solid blue; a note on one lane is a dot.
 * A failed or refused message gets a red head.
 */
function Arrow({ row }: { row: DiagramRow }) {
  const a = laneIndex(row.from);
  const b = laneIndex(row.to);
  const channel = channelOf(row);
  const head = row.outcome === "ok" ? (channel === "front" ? "text-amber-600" : "text-blue-700") : "text-red-700";
  if (channel === "none") {
    return (
      <span
        aria-hidden="true"
        data-channel="none"
        className={`absolute top-[4.05rem] size-3 md:top-[3.05rem] -translate-x-1/2 rounded-full ${row.outcome === "ok" ? "bg-slate-600" : "bg-red-700"}`}
        style={{ left: `${a * 25 + 12.5}%` }}
      />
    );
  }
  const left = Math.min(a, b) * 25 + 12.5;
  const line = channel === "front" ? "border-dashed border-amber-600" : "border-solid border-blue-700";
  return (
    <span
      aria-hidden="true"
      data-channel={channel}
      className={`absolute top-[4.4rem] h-0 border-t-[3px] md:top-[3.4rem] ${line}`}
      style={{ left: `${left}%`, width: `${Math.abs(b - a) * 25}%` }}
    >
      <span className={`absolute -top-[0.8rem] text-lg leading-none ${head} ${b > a ? "-right-1" : "-left-1"}`}>{b > a ? "▶" : "◀"}</span>
    </span>
  );
}

const httpLabel = (row: DiagramRow) => {
  const { request, response } = row.http ?? {};
  const parts = [
    request ? `${request.method} ${new URL(request.url, "http://x").pathname}` : "",
    response ? String(response.status) : "",
  ].filter(Boolean);
  return parts.length ? ` · ${parts.join(" → ")}` : "";
};

/** One record of a message: who recorded it, when, how it went, its HTTP exchange and detail. */
function RecordView({ row }: { row: DiagramRow }) {
  return (
    <>
      <p className="font-semibold">{row.name}</p>
      <p className="text-base text-slate-700">
        Step {row.step}, recorded by {ROLE_NAMES[row.recordedBy] ?? row.recordedBy} at <Time iso={row.recordedAt} />:{" "}
        {row.outcome === "ok" ? "succeeded" : "failed or refused"}.
      </p>
      {row.http && (
        <div className="mt-3">
          <HttpExchangeView http={row.http} />
        </div>
      )}
      {row.detail && <Detail detail={row.detail} />}
    </>
  );
}

/**
 * The run as a sequence diagram with four lanes, from the recorded flow events of every role. Each row
 * is a disclosure: it opens the HTTP exchange as that role recorded it (secrets masked); a call to the
 * API opens with the API's own records of it. On a phone it keeps its four lanes and scrolls sideways.
 */
export function SequenceDiagram({ rows, current, eventsError }: { rows: DiagramRow[]; current: number[]; eventsError?: string }) {
  return (
    <section id="diagram" aria-labelledby="diagram-title" className="scroll-mt-4 rounded-xl border border-slate-200 bg-white p-3 sm:p-6">
      <h2 id="diagram-title" className="text-2xl font-semibold">
        Sequence diagram of this run
      </h2>
      <p className="mt-2 text-lg text-slate-800">
        Drawn from the events each role recorded: the client&apos;s own (in this app) and the authorization and resource servers&apos;
        (fetched from the authorization server&apos;s <code>/api/flow-events</code>). Rows of the current step are highlighted; open a row
        to see its HTTP exchange.
      </p>
      <p className="mt-2 text-base text-slate-800">
        <span className="font-semibold text-amber-800">Dashed amber</span>: the front channel, through the browser.{" "}
        <span className="font-semibold text-blue-800">Solid blue</span>: the back channel, server to server. A dot: a role acting on its
        own. A red head: failed or refused.
      </p>
      {eventsError && (
        <p role="alert" className="mt-2 rounded-md bg-amber-50 p-2 text-amber-900">
          The servers&apos; events could not be loaded: {eventsError}
        </p>
      )}
      <p id="diagram-scroll-hint" className="mt-3 rounded-md bg-slate-100 p-2 text-base text-slate-800 md:hidden">
        The diagram is wider than this screen: scroll it sideways to see all four roles →
      </p>
      {/* Focusable, so a keyboard can scroll it too (WCAG 2.1.1); on a wide screen nothing scrolls and the lanes' names stick. */}
      <div
        tabIndex={0}
        role="region"
        aria-label="The diagram's lanes and messages"
        aria-describedby="diagram-scroll-hint"
        className="mt-4 max-md:overflow-x-auto"
      >
        <div className="min-w-[36rem] md:min-w-0">
          <div
            aria-hidden="true"
            data-lanes
            className="top-0 z-10 grid grid-cols-4 border-b-2 border-slate-400 bg-white py-2 text-center text-base font-semibold md:sticky"
          >
            {LANES.map((l) => (
              <span key={l.lane} className="px-1">
                <span className="md:hidden">{l.short}</span>
                <span className="hidden md:inline">{l.name}</span>
              </span>
            ))}
          </div>
          {rows.length === 0 && <p className="py-4 text-slate-600">No events yet: they appear as the run goes.</p>}
          <ol aria-label="Recorded events of this run, oldest first">
            {rows.map((row) => {
              const highlighted = current.includes(row.step);
              const a = laneIndex(row.from);
              const b = laneIndex(row.to);
              const channel = channelOf(row);
              // A message's label spans the lanes it joins; a note's is centred on its lane, two lanes wide.
              const labelLeft = a === b ? Math.min(Math.max(a * 25 - 12.5, 0), 50) : Math.min(a, b) * 25;
              const labelWidth = a === b ? 50 : (Math.abs(b - a) + 1) * 25;
              return (
                <li key={row.key} aria-current={highlighted ? "step" : undefined} className={highlighted ? "bg-blue-50" : undefined}>
                  <details className="group">
                    <summary className="relative block h-20 cursor-pointer md:h-16 list-none hover:bg-slate-100 [&::-webkit-details-marker]:hidden">
                      <Lifelines />
                      <Arrow row={row} />
                      {/* Three lines on a phone, two on a wide screen: room for the whole label either way. */}
                      <span
                        data-label
                        className="absolute top-1 line-clamp-3 px-1 text-center text-sm leading-tight md:line-clamp-2"
                        style={{ left: `${labelLeft}%`, width: `${labelWidth}%` }}
                      >
                        <span aria-hidden="true" className="mr-1 inline-block transition-transform group-open:rotate-90">
                          ▸
                        </span>
                        <span className="font-semibold">{row.step}</span>{" "}
                        <span className="sr-only">{`Step ${row.step}, ${channel === "none" ? "" : `${CHANNEL_WORDS[channel]}, `}${laneName(row.from)}${row.from === row.to ? "" : ` to ${laneName(row.to)}`}: `}</span>
                        <span className={row.outcome === "ok" ? "" : "text-red-800"}>
                          {row.name}
                          {httpLabel(row)}
                        </span>
                      </span>
                    </summary>
                    <div className="border-l-4 border-slate-300 bg-slate-50 p-2 sm:p-4">
                      <RecordView row={row} />
                      {row.records && row.records.length > 0 && (
                        <div className="mt-4 border-t border-slate-300 pt-3">
                          <p className="font-semibold">The resource server&apos;s own records of this call</p>
                          <ul aria-label="The resource server's records of this call" className="mt-2 space-y-3">
                            {row.records.map((r) => (
                              <li key={r.key} className="rounded-md border border-slate-200 bg-white p-2">
                                <RecordView row={r} />
                              </li>
                            ))}
                          </ul>
                        </div>
                      )}
                    </div>
                  </details>
                </li>
              );
            })}
          </ol>
        </div>
      </div>
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
