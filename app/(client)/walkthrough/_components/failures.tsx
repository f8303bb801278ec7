import { latestAttempt, type AttemptKind, type RunData } from "@/lib/client/walkthrough/run";
import type { StoredRun } from "@/lib/client/walkthrough/run-store";
import { ActionButton } from "./action-button";
import { AttemptView } from "./attempt-view";
import { Cited } from "@/app/_components/cited";

/** Why a lesson's button is not offered yet, or undefined when pressing it can do what it says. */
type NotYet = (data: RunData) => string | undefined;

const LESSONS: { kind: AttemptKind; intent: string; button: string; lesson: string; notYet?: NotYet }[] = [
  {
    kind: "replay",
    intent: "replay",
    button: "Replay the code",
    lesson:
      "Redeems the same code a second time. A code works once: the server answers invalid_grant and revokes every token the code produced, since one of the two redeemers must be an attacker (RFC 6749 §4.1.2, RFC 9700 §4.5.3). The client then tries its earlier tokens.",
    notYet: (data) =>
      data.exchange && data.callback?.response.code
        ? undefined
        : "Offered once the code has been exchanged (step 4): a replay is a second redemption of a used code.",
  },
  {
    kind: "no-token",
    intent: "no-token",
    button: "Call the API without a token",
    lesson:
      "GET /api/me with no Authorization header fails the API's first check, an access token in the Authorization header (RFC 6750 §2.1): 401 and a WWW-Authenticate: Bearer challenge without an error code (RFC 6750 §3.1).",
  },
  {
    kind: "expired-token",
    intent: "expired-token",
    button: "Call the API with an expired token",
    lesson:
      "Uses this run's first access token once it has expired. It fails the API's exp check (RFC 7519 §4.1.4, RFC 9068 §4): 401 invalid_token (RFC 6750 §3.1). Until then, nothing is sent and the page says when it expires.",
    notYet: (data) => (data.firstAccessToken ? undefined : "Offered once the client has an access token (step 5)."),
  },
];

/** Buttons that teach by failing, each with what it shows. */
export function Failures({ run }: { run: StoredRun }) {
  return (
    <section id="failures" aria-labelledby="failures-title" className="scroll-mt-4 rounded-xl border border-slate-200 bg-white p-5 sm:p-6">
      <h2 id="failures-title" className="text-2xl font-semibold">
        Teach by failing
      </h2>
      <div className="mt-3 space-y-6 text-lg">
        {LESSONS.map(({ kind, intent, button, lesson, notYet }) => {
          const attempt = latestAttempt(run.data, kind);
          const why = notYet?.(run.data);
          return (
            <div key={kind} className="space-y-2">
              <p id={`lesson-${kind}`}>
                <Cited text={lesson} />
              </p>
              {why ? (
                <p className="text-slate-700">
                  <strong>{button}</strong>: {why}
                </p>
              ) : (
                <ActionButton run={run.id} intent={intent} variant="secondary" describedBy={`lesson-${kind}`}>
                  {button}
                </ActionButton>
              )}
              {attempt && <AttemptView attempt={attempt} newest={attempt.id === run.data.log.at(-1)?.id} />}
            </div>
          );
        })}
      </div>
    </section>
  );
}
