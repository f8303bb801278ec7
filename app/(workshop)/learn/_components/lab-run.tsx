"use client";
import { useState, useTransition } from "react";
import type { AttackCard, AttackResult } from "@/lib/workshop/lab/attacks";
import { runAttackAction } from "../../lab/actions";
import { AttackResultView } from "../../lab/_components/attack-card";
import { buttonClass } from "../../lab/_components/exchanges";

type Outcome = AttackResult | { error: string };

/**
 * Runs lab cards one after the other with the lab's own server action (each attack for real, on the
 * server), and shows each card's verdict, as /lab does, as soon as it is in.
 */
export function LabRun({
  label,
  cards,
  describedBy,
  idPrefix,
}: {
  label: string;
  cards: AttackCard[];
  describedBy: string;
  idPrefix: string;
}) {
  const [outcomes, setOutcomes] = useState<Partial<Record<string, Outcome>>>({});
  const [running, setRunning] = useState<number | null>(null);
  const [pending, startTransition] = useTransition();

  const run = () =>
    startTransition(async () => {
      setOutcomes({});
      for (const [i, card] of cards.entries()) {
        setRunning(i);
        const data = new FormData();
        data.set("attack", card.id);
        let outcome: Outcome;
        try {
          outcome = await runAttackAction(null, data);
        } catch (error) {
          outcome = { error: `The server could not run the attack: ${error instanceof Error ? error.message : String(error)}` };
        }
        setOutcomes((previous) => ({ ...previous, [card.id]: outcome }));
      }
      setRunning(null);
    });

  return (
    <div className="space-y-4">
      {/* aria-disabled, not disabled: a disabled button would drop the keyboard focus while the attacks run. */}
      <button
        type="button"
        onClick={() => {
          if (!pending) run();
        }}
        aria-disabled={pending}
        className={`${buttonClass} aria-disabled:opacity-60`}
        aria-describedby={describedBy}
      >
        {label}
      </button>
      <p role="status" className="text-slate-800">
        {progress(cards, outcomes, pending ? running : null)}
      </p>
      {cards.map((card) => {
        const outcome = outcomes[card.id];
        if (!outcome) return null;
        const headingId = `${idPrefix}-${card.id}`;
        return (
          <section key={card.id} aria-labelledby={headingId} className="space-y-3 rounded-lg border border-slate-300 bg-white p-4 sm:p-6">
            <h3 id={headingId} className="text-xl font-semibold">
              {card.title}
            </h3>
            <p>
              <strong>The defense:</strong> {card.defense} <span className="text-slate-600">({card.rfc})</span>
            </p>
            {"error" in outcome ? (
              <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
                {outcome.error}
              </p>
            ) : (
              <AttackResultView result={outcome} />
            )}
          </section>
        );
      })}
    </div>
  );
}

/** One line for the live region: which card is running, or how the finished run went. */
function progress(cards: AttackCard[], outcomes: Partial<Record<string, Outcome>>, running: number | null): string {
  if (running !== null) return `Running ${cards[running].title} (${running + 1} of ${cards.length})…`;
  const done = cards.map((c) => outcomes[c.id]).filter((o): o is Outcome => o !== undefined);
  if (done.length === 0) return "";
  const stopped = done.filter((o) => "attempts" in o && o.refused && !o.failure).length;
  return `Finished: ${stopped} of ${cards.length} ${cards.length === 1 ? "attack was" : "attacks were"} refused in every attempt.`;
}
