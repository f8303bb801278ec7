import type { ApiAnswer } from "@/lib/client/walkthrough/api-checks";
import { describeStep } from "@/lib/oauth/api-checks";
import { clockTime } from "@/app/_components/clock-time";

const RESULT_STYLE = {
  passed: { icon: "✔", tone: "text-green-800" },
  failed: { icon: "✘", tone: "text-red-800" },
  "not run": { icon: "–", tone: "text-slate-700" },
} as const;

/** One answer of the API: which request, what it answered, and every check in the order the API ran it. */
function Answer({ answer }: { answer: ApiAnswer }) {
  const failed = answer.checks.find((c) => c.result === "failed");
  const name = `${answer.request} at ${clockTime(answer.at)}${answer.status ? ` → ${answer.status}` : ""}`;
  return (
    <article
      aria-label={`Checks of ${name}`}
      className={`rounded-lg border p-2 sm:p-4 ${failed ? "border-red-300 bg-red-50" : "border-green-300 bg-green-50"}`}
    >
      <p className="font-semibold">{name}</p>
      {failed && (
        <p className="mt-1">
          Refused by the check <strong>{describeStep(failed.check, answer.revocationCheck).name}</strong> (
          <a className="text-blue-800 underline" href={describeStep(failed.check, answer.revocationCheck).href}>
            {describeStep(failed.check, answer.revocationCheck).rfc}
          </a>
          ){answer.description ? `: ${answer.description}` : "."}
        </p>
      )}
      {!failed && answer.check !== "passed" && (
        <p className="mt-1">
          Every check passed; the request failed after them ({answer.check}){answer.description ? `: ${answer.description}` : "."}
        </p>
      )}
      <ol aria-label={`Checks of ${answer.request}, in order`} className="mt-2 space-y-1 text-base">
        {answer.checks.map((c) => {
          const step = describeStep(c.check, answer.revocationCheck);
          const style = RESULT_STYLE[c.result];
          return (
            <li key={c.check}>
              <span aria-hidden="true" className={`mr-1 ${style.tone}`}>
                {style.icon}
              </span>
              <span className={`font-semibold ${style.tone}`}>{c.result}</span>: {step.name} (
              <a className="text-blue-800 underline" href={step.href}>
                {step.rfc}
              </a>
              )
            </li>
          );
        })}
      </ol>
    </article>
  );
}

/** The resource server's latest answers of this run, check by check, from its flow events. */
export function ApiChecks({ answers }: { answers: ApiAnswer[] }) {
  return (
    <section id="api-checks" aria-labelledby="api-checks-title" className="scroll-mt-4 space-y-3 border-t border-slate-200 pt-4">
      <h3 id="api-checks-title" className="text-xl font-semibold">
        The API&apos;s checks, as the resource server recorded them
      </h3>
      <p>
        Its latest answers to this run&apos;s requests, newest first, from the resource server&apos;s own events: each check in the order it
        ran, passed or failed, and the checks after a failure not run. A request the API could not tie to this run (one without a token, or
        with a token refused before its <code>jti</code> was looked up: expired, badly signed) is recorded apart from the run and is not
        listed here; its answer above names the failed check.
      </p>
      {answers.length === 0 && <p className="text-slate-600">None yet: call the API in step 6.</p>}
      {answers.length > 0 && <Answer answer={answers[0]} />}
      {answers.length > 1 && (
        <details className="rounded-lg border border-slate-300 bg-slate-50 p-3">
          <summary className="cursor-pointer font-semibold text-blue-800">
            Its {answers.length - 1} earlier {answers.length === 2 ? "answer" : "answers"}
          </summary>
          <div className="mt-3 space-y-3">
            {answers.slice(1).map((a) => (
              <Answer key={a.id} answer={a} />
            ))}
          </div>
        </details>
      )}
    </section>
  );
}
