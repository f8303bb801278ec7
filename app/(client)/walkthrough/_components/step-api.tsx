import type { ApiAnswer } from "@/lib/client/walkthrough/api-checks";
import { API_CLOCK_SKEW_SECONDS } from "@/lib/client/core/resource-request";
import { grantedScopes, latestAttempt } from "@/lib/client/walkthrough/run";
import { Cited } from "@/app/_components/cited";
import type { StoredRun } from "@/lib/client/walkthrough/run-store";
import { ActionButton, buttonClass } from "./action-button";
import { ApiChecks } from "./api-checks";
import { AttemptView } from "./attempt-view";
import { Countdown } from "./countdown";
import { StepSection, type StepMark } from "./step-section";

/** Step 6: the client calls the API with the access token (from its server). */
export function StepCallApi({ run, resourceServerUrl, current }: { run: StoredRun; resourceServerUrl: string; current: StepMark }) {
  const { tokens } = run.data;
  const canWrite = grantedScopes(run.data).includes("notes:write");
  return (
    <StepSection id="step-6" number="6" title="The client calls the protected API with the access token" current={current}>
      <p>
        The client&apos;s server sends <code>Authorization: Bearer &lt;access token&gt;</code> to the API at{" "}
        <code className="font-mono">{resourceServerUrl}</code>: <code>GET /api/me</code> needs the scope <code>profile</code>,{" "}
        <code>GET /api/notes</code> needs <code>notes:read</code>, <code>POST /api/notes</code> needs <code>notes:write</code>.
      </p>
      {!tokens && <p className="text-slate-600">Not yet: the access token arrives in step 5.</p>}
      {tokens && (
        <div className="flex flex-wrap items-end gap-4">
          <ActionButton run={run.id} intent="call-api">
            Call the API
          </ActionButton>
          <form method="post" action="/walkthrough/action" className="flex flex-wrap items-end gap-2">
            <input type="hidden" name="run" value={run.id} />
            <div>
              <label htmlFor="note-text" className="block text-base font-medium">
                Note text
              </label>
              <input
                id="note-text"
                name="text"
                required
                maxLength={500}
                defaultValue="Hello from the walkthrough"
                className="mt-1 w-64 max-w-full rounded-md border border-slate-400 px-3 py-2 text-base"
              />
            </div>
            <button
              type="submit"
              name="intent"
              value="add-note"
              className={buttonClass("secondary")}
              aria-describedby={canWrite ? undefined : "note-lesson"}
            >
              {canWrite ? "Create a note (POST /api/notes)" : "Try to create a note without notes:write"}
            </button>
          </form>
          {!canWrite && (
            <p id="note-lesson" className="basis-full rounded-md bg-amber-50 p-3 text-base text-amber-950">
              This run was not granted <code>notes:write</code>, so the API will refuse a note with <code>403 insufficient_scope</code> (
              <Cited text="RFC 6750 §3.1" />
              ): a token may do only what its scope says. Try it to see the refusal, or <strong>Start over</strong> and tick{" "}
              <code>notes:write</code>.
            </p>
          )}
        </div>
      )}
    </StepSection>
  );
}

/** Step 7: the resource server's answer; then expiry and refresh, and revocation. */
export function StepApiAnswer({ run, now, current, answers }: { run: StoredRun; now: string; current: StepMark; answers: ApiAnswer[] }) {
  const { tokens } = run.data;
  const api = latestAttempt(run.data, "api");
  const note = latestAttempt(run.data, "note");
  const refresh = latestAttempt(run.data, "refresh");
  const revoke = latestAttempt(run.data, "revoke");
  const newest = run.data.log.at(-1)?.id;
  return (
    <StepSection
      id="step-7"
      number="7"
      title="The resource server validates the token and answers; when it expires, the client refreshes it"
      current={current}
    >
      <p>
        The API checks the token&apos;s signature with the authorization server&apos;s public key, its <code>typ</code>, <code>iss</code>,{" "}
        <code>aud</code>, <code>exp</code>, whether it was revoked, and the scope; then it serves the request or refuses it with{" "}
        <code>WWW-Authenticate: Bearer</code> and an error (RFC 6750 §3).
      </p>
      {!api && !note && <p className="text-slate-600">Not yet: call the API in step 6.</p>}
      {api && <AttemptView attempt={api} newest={api.id === newest} />}
      {note && <AttemptView attempt={note} newest={note.id === newest} />}
      <ApiChecks answers={answers} />

      <section id="refresh" aria-labelledby="refresh-title" className="scroll-mt-4 space-y-3 border-t border-slate-200 pt-4">
        <h3 id="refresh-title" className="text-xl font-semibold">
          When the access token expires: refresh
        </h3>
        <p>
          The access token lives a short time. Once it has expired the API answers <code>401 invalid_token</code>; the client then uses its
          refresh token on the back channel (<code>grant_type=refresh_token</code>). The server rotates the refresh token: the old one is
          spent, and using it again would revoke the whole family (RFC 9700 §4.14.2).
        </p>
        {tokens?.expiresAt && (
          <p>
            Current access token:{" "}
            <Countdown
              label="Time left before the access token expires"
              now={now}
              until={tokens.expiresAt}
              skewSeconds={API_CLOCK_SKEW_SECONDS}
              expiredText="expired: the API refuses it now; refresh it"
            />
          </p>
        )}
        {tokens?.refreshToken && (
          <ActionButton run={run.id} intent="refresh" variant="secondary">
            Refresh the access token
          </ActionButton>
        )}
        {tokens && !tokens.refreshToken && (
          <p className="text-slate-700">
            This run has no refresh token: one is issued only for the <code>offline_access</code> scope. Start over and tick it to try a
            refresh.
          </p>
        )}
        {refresh && <AttemptView attempt={refresh} newest={refresh.id === newest} />}
      </section>

      <section id="revoke" aria-labelledby="revoke-title" className="scroll-mt-4 space-y-3 border-t border-slate-200 pt-4">
        <h3 id="revoke-title" className="text-xl font-semibold">
          Revocation
        </h3>
        <p>
          When the user signs out or the client is done, it revokes its refresh token (RFC 7009). This server then revokes the whole grant,
          access tokens included, and the API refuses them.
        </p>
        {tokens && (
          <ActionButton run={run.id} intent="revoke" variant="danger">
            Revoke the tokens
          </ActionButton>
        )}
        {revoke && <AttemptView attempt={revoke} newest={revoke.id === newest} />}
      </section>
    </StepSection>
  );
}
