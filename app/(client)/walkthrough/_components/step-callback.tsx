import { explainParameter } from "@/lib/client/core/parameters";
import type { ReceivedCallback } from "@/lib/client/walkthrough/run";
import type { StoredRun } from "@/lib/client/walkthrough/run-store";
import type { DiagramRow } from "@/lib/client/walkthrough/sequence";
import type { CodeLifetime } from "@/lib/client/walkthrough/view";
import { Checks } from "./checks";
import { Cited } from "@/app/_components/cited";
import { Countdown } from "./countdown";
import { StepSection, ValueTable, type StepMark } from "./step-section";
import { Time } from "@/app/_components/time";
import { clockTime } from "@/app/_components/clock-time";

function ResponseParameters({ callback }: { callback: ReceivedCallback }) {
  const { response } = callback;
  const rows = (
    [
      ["code", response.code],
      ["state", response.state],
      ["iss", response.iss],
      ["error", response.error],
      ["error_description", response.errorDescription],
    ] as const
  )
    .filter(([, v]) => v !== null)
    .map(([name, value]) => ({ name, value: value!, meaning: explainParameter(name) }));
  return <ValueTable caption={`Received at the redirect URI at ${clockTime(callback.receivedAt)}`} rows={rows} />;
}

/** Step 2: on the authorization server's own pages; the client only sees what the server recorded. */
export function StepLogin({ run, issuer, rows, current }: { run: StoredRun; issuer: string; rows: DiagramRow[]; current: StepMark }) {
  const events = rows.filter((r) => r.recordedBy === "authorization-server" && r.step === 2);
  return (
    <StepSection id="step-2" number="2" title="The authorization server authenticates the user and asks for consent" current={current}>
      <p>
        This happens on the authorization server&apos;s own pages (<code className="font-mono">{issuer}/login</code> and{" "}
        <code className="font-mono">/consent</code>). The client never sees the password; it only learns the outcome in step 3. Demo users:{" "}
        <code>alice</code> / <code>alice-demo-password</code>, <code>bob</code> / <code>bob-demo-password</code>.
      </p>
      {!run.data.sentAt && !run.data.callback && <p className="text-slate-600">Not yet: send the browser in step 1.</p>}
      {events.length > 0 && (
        <ul aria-label="What the authorization server recorded" className="list-disc pl-6">
          {events.map((e) => (
            <li key={e.key}>
              {e.name}{" "}
              <span className="text-base text-slate-600">
                (<Time iso={e.at} />)
              </span>
            </li>
          ))}
        </ul>
      )}
    </StepSection>
  );
}

/** Step 3: the authorization response at the redirect URI, its checks, and the code's lifetime. */
export function StepCallback({
  run,
  redirectUri,
  code,
  now,
  current,
  finished,
}: {
  run: StoredRun;
  redirectUri: string;
  code?: CodeLifetime;
  now: string;
  current: StepMark;
  finished: boolean;
}) {
  const { callback, refusedCallbacks, exchange } = run.data;
  return (
    <StepSection
      id="step-3"
      number="3"
      title="The authorization server redirects the browser back with a code"
      current={current}
      done={
        finished && callback
          ? `the code arrived at the redirect URI at ${clockTime(callback.receivedAt)}; the client's checks of state and iss passed.`
          : undefined
      }
    >
      <p>
        The server sends the browser to the registered redirect URI <code className="break-all font-mono">{redirectUri}</code> with a
        one-time code, the <code>state</code> and its issuer identifier <code>iss</code>. The client checks both before it trusts anything
        in the response.
      </p>
      {refusedCallbacks.length > 0 && (
        <div role="alert" className="space-y-2 rounded-lg border border-red-300 bg-red-50 p-4">
          <p className="font-semibold text-red-900">
            {refusedCallbacks.length === 1
              ? "An authorization response was refused"
              : `${refusedCallbacks.length} authorization responses were refused`}
            : it did not pass the client&apos;s checks, so nothing in it was used.
          </p>
          {refusedCallbacks.toReversed().map((r, i) => (
            <div key={r.receivedAt + i} className="rounded-md bg-white p-3">
              <ResponseParameters callback={r} />
              <Checks label="Checks of the refused response" checks={r.verdict.checks} />
            </div>
          ))}
        </div>
      )}
      {!callback && (
        <p className="text-slate-600">Waiting for the browser to come back{run.data.sentAt ? " from the authorization server" : ""}.</p>
      )}
      {callback && (
        <>
          <ResponseParameters callback={callback} />
          <Checks label="Checks of the authorization response" checks={callback.verdict.checks} />
          {callback.verdict.outcome === "error" && (
            <div role="alert" className="rounded-lg border border-amber-400 bg-amber-50 p-4">
              <p className="font-semibold">
                The authorization server answered with an error: <code>{callback.response.error}</code>
              </p>
              {callback.response.errorDescription && <p>{callback.response.errorDescription}</p>}
              <p className="mt-1 text-base">
                <Cited
                  text={
                    callback.response.error === "access_denied"
                      ? "The user said no on the consent page (RFC 6749 §4.1.2.1). There is no code, so the flow ends here: Start over to try again."
                      : "There is no code, so the flow ends here (RFC 6749 §4.1.2.1): Start over to try again."
                  }
                />
              </p>
            </div>
          )}
          {callback.verdict.outcome === "code" && (
            <p className="rounded-md bg-green-50 p-3">
              <strong>Accepted.</strong>{" "}
              {exchange ? (
                <>
                  The code was redeemed in step 4. A code works once: a second redemption is refused and revokes its tokens (try
                  &quot;Replay the code&quot; below).
                </>
              ) : code?.expiresAt ? (
                <>
                  The code has <Countdown label="Time left before the code expires" now={now} until={code.expiresAt} />: the authorization
                  server issued it at <Time iso={code.issuedAt} /> with a lifetime of {code.lifetimeSeconds} s (from its own flow event).
                </>
              ) : (
                <>
                  The code was received{" "}
                  <Countdown label="Time since the code arrived" now={now} since={code?.issuedAt ?? callback.receivedAt} />; the
                  authorization server did not say its lifetime, and codes are short-lived (RFC 6749 §4.1.2: at most 10 minutes).
                </>
              )}
            </p>
          )}
        </>
      )}
    </StepSection>
  );
}
