import { buttonClass } from "../../lab/_components/exchanges";

/**
 * Starts a walkthrough run with the walkthrough's own "start" intent (POST /walkthrough/action, the
 * demo client); the walkthrough answers 303 to the new run at step 1. A plain form: no JavaScript needed.
 */
export function WalkthroughRun({ label, describedBy }: { label: string; describedBy: string }) {
  return (
    <form method="post" action="/walkthrough/action">
      <input type="hidden" name="intent" value="start" />
      <button type="submit" className={buttonClass} aria-describedby={describedBy}>
        {label}
      </button>
    </form>
  );
}
