import type { FlowState, ServerRecord } from "@/lib/oauth/flow-state";
import { Cited } from "./cited";
import { RecordTimeline } from "./record-timeline";

const KIND_NAMES: Record<ServerRecord["kind"], string> = {
  "authorization-code": "authorization code",
  "access-token": "access token",
  "refresh-token": "refresh token",
};

function Records({
  id,
  title,
  records,
  now,
  explanation,
  level,
}: {
  id: string;
  title: string;
  records: ServerRecord[];
  now: string;
  explanation: string;
  level: 3 | 4;
}) {
  const Heading = level === 3 ? "h3" : "h4";
  return (
    <section aria-labelledby={id} className="space-y-2">
      <Heading id={id} className="text-xl font-semibold">
        {title}
      </Heading>
      <p className="text-base text-slate-700">
        <Cited text={explanation} />
      </p>
      {records.length === 0 ? (
        <p className="text-slate-600">None yet.</p>
      ) : (
        <ul className="space-y-2">
          {records.map((r) => (
            <li key={`${r.kind}-${r.label}`} className="rounded-md border border-slate-200 px-3 py-2">
              <p className="text-base">
                <code className="font-mono font-semibold">{r.label}</code>
                <span className="text-slate-700">
                  {" "}
                  · grant <code className="font-mono">{r.grant}</code> · scope <code className="font-mono">{r.scope || "(none)"}</code>
                </span>
              </p>
              <RecordTimeline
                label={`States of the ${KIND_NAMES[r.kind]} ${r.label}`}
                states={r.states}
                expiresAt={r.expiresAt}
                now={now}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The three kinds of records of a run, each under a heading of `level` (3 on the walkthrough, 4 inside a lab card). */
export function RecordGroups({ state, level, idPrefix }: { state: FlowState; level: 3 | 4; idPrefix: string }) {
  return (
    <>
      <Records
        id={`${idPrefix}-code`}
        title="Authorization code"
        records={state.codes}
        now={state.now}
        level={level}
        explanation="Issued at step 3, consumed by the exchange at step 4: it works once (RFC 6749 §4.1.2). Revoked means its grant was revoked: by a second redemption (a replay, RFC 9700 §4.5.3), by reuse of a rotated refresh token, or by a revocation request (RFC 7009 §2); every token of the grant goes with it."
      />
      <Records
        id={`${idPrefix}-access`}
        title="Access tokens"
        records={state.accessTokens}
        now={state.now}
        level={level}
        explanation="One per exchange or refresh. The API refuses a revoked one by looking up its jti (RFC 7009 §2), and an expired one by its exp claim (RFC 9068 §4)."
      />
      <Records
        id={`${idPrefix}-refresh`}
        title="Refresh tokens: one family per grant"
        records={state.refreshTokens}
        now={state.now}
        level={level}
        explanation="A refresh rotates the token: the old one is spent and a new one issued in the same family. A rotated token presented again revokes the whole family (RFC 9700 §4.14.2)."
      />
    </>
  );
}

/**
 * The authorization server's own records of this run, as its database holds them (GET /api/flow-state):
 * what the client only sees the effects of. Secrets are never shown: codes and refresh tokens are stored
 * as SHA-256 hashes and named here by a few characters of the hash; access tokens by their jti.
 */
export function ServerRecords({ state, error }: { state?: FlowState; error?: string }) {
  return (
    <section
      id="server-records"
      aria-labelledby="server-records-title"
      className="scroll-mt-4 rounded-xl border border-slate-200 bg-white p-5 sm:p-6"
    >
      <h2 id="server-records-title" className="text-2xl font-semibold">
        The authorization server&apos;s records of this run
      </h2>
      <div className="mt-3 space-y-4 text-lg leading-relaxed text-slate-800">
        <p>
          What the authorization server keeps about this run, read from its database through <code>GET /api/flow-state</code> each time this
          page is drawn: each record&apos;s states over time. It stores no code or refresh token, only its SHA-256 hash, shown here by its
          first characters; an access token is a signed JWT it does not store, only its <code>jti</code>, kept so that the token can be
          revoked and introspected.
        </p>
        {error && (
          <p role="alert" className="rounded-md bg-amber-50 p-2 text-amber-900">
            The server&apos;s records could not be loaded: {error}
          </p>
        )}
        {state && <RecordGroups state={state} level={3} idPrefix="records" />}
      </div>
    </section>
  );
}
