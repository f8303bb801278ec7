import type { NextStep } from "@/lib/client/walkthrough/run";
import { buttonClass } from "./action-button";

/**
 * The next step, always in view: a bar fixed to the bottom of the window naming what to do next, with
 * its button (a form post like the step's own; step 1's submits the scope form with the scopes ticked).
 * Its button says "Next: …", so it is never mistaken for the step's own button of the same action.
 */
export function NextBar({ run, next, canAuthorize }: { run: string; next: NextStep; canAuthorize: boolean }) {
  return (
    <section aria-label="Next step" className="fixed inset-x-0 bottom-0 z-20 border-t-2 border-blue-700 bg-white px-4 py-3 shadow-lg">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2">
        <p className="text-base font-semibold text-slate-900">
          <a href={`#step-${next.step}`} className="text-blue-800 underline">
            Step {next.step}
          </a>
          {"waiting" in next ? <span className="font-normal">: {next.waiting}</span> : null}
        </p>
        {"intent" in next &&
          (next.form ? (
            canAuthorize && (
              <button type="submit" form="authorize-form" name="intent" value={next.intent} className={buttonClass("primary")}>
                Next: {next.label}
              </button>
            )
          ) : (
            <form method="post" action="/walkthrough/action">
              <input type="hidden" name="run" value={run} />
              <button type="submit" name="intent" value={next.intent} className={buttonClass("primary")}>
                Next: {next.label}
              </button>
            </form>
          ))}
      </div>
    </section>
  );
}
