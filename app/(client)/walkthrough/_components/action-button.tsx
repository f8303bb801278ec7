import type { ReactNode } from "react";

const STYLES = {
  primary: "bg-blue-700 text-white hover:bg-blue-800",
  secondary: "border border-slate-400 bg-white text-slate-900 hover:bg-slate-100",
  danger: "border border-red-700 bg-white text-red-800 hover:bg-red-50",
};

export const buttonClass = (variant: keyof typeof STYLES = "primary") =>
  `inline-flex items-center rounded-md px-4 py-2 text-base font-semibold ${STYLES[variant]}`;

/** One button of the walkthrough: a form that posts its intent for this run (works without JavaScript). */
export function ActionButton({
  run,
  intent,
  children,
  variant = "primary",
  describedBy,
}: {
  run: string;
  intent: string;
  children: ReactNode;
  variant?: keyof typeof STYLES;
  describedBy?: string;
}) {
  return (
    <form method="post" action="/walkthrough/action" className="inline">
      <input type="hidden" name="run" value={run} />
      <button type="submit" name="intent" value={intent} className={buttonClass(variant)} aria-describedby={describedBy}>
        {children}
      </button>
    </form>
  );
}
