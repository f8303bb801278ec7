import { refusalOf } from "@/lib/client/core/refusal";
import { attemptAnchor, type Attempt } from "@/lib/client/walkthrough/run";
import { Cited } from "@/app/_components/cited";
import { HttpExchangeView } from "./http-exchange";
import { ValueTable } from "./step-section";
import { Time } from "@/app/_components/time";

const TONE = { ok: "border-green-300 bg-green-50", refused: "border-amber-300 bg-amber-50", info: "border-slate-300 bg-slate-50" };

/**
 * The result of one button: what happened, in one sentence, and each HTTP exchange it made. The newest
 * result's first exchange is open (the page lands on it); the others are folded to their status lines.
 */
export function AttemptView({ attempt, newest }: { attempt: Attempt; newest: boolean }) {
  return (
    <article
      id={attemptAnchor(attempt.id)}
      aria-label={`Result: ${attempt.title}`}
      className={`scroll-mt-4 rounded-lg border p-2 sm:p-4 ${TONE[attempt.outcome]}`}
    >
      <p className="font-semibold">
        {attempt.title}{" "}
        <span className="text-sm font-normal text-slate-600">
          at <Time iso={attempt.at} />
        </span>
      </p>
      <p className="mt-1">
        <Cited text={attempt.summary} />
      </p>
      {attempt.facts && (
        <div className="mt-3">
          <ValueTable caption="Compared" rows={attempt.facts.map((f) => ({ name: f.name, value: f.value }))} />
        </div>
      )}
      {attempt.exchanges.map(({ label, exchange }, i) => {
        const refusal = refusalOf(exchange);
        return (
          refusal && (
            <p key={`refusal-${i}`} className="mt-2">
              <span className="font-semibold">
                {label}: refused with <code>{refusal.error}</code>
              </span>{" "}
              (<Cited text={refusal.reference} />)
              {refusal.description ? (
                <>
                  : <Cited text={refusal.description} />
                </>
              ) : (
                "."
              )}
            </p>
          )
        );
      })}
      {attempt.exchanges.map(({ label, exchange }, i) => (
        <details key={i} className="mt-3 rounded-md border border-slate-300 bg-white p-2 sm:p-3" open={newest && i === 0}>
          <summary className="cursor-pointer font-semibold">
            {label}: {exchange.response ? exchange.response.status : "no answer"}
          </summary>
          <div className="mt-2">
            <HttpExchangeView http={exchange} networkError={exchange.networkError} />
          </div>
        </details>
      ))}
    </article>
  );
}
