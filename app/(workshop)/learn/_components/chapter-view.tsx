import Link from "next/link";
import { ATTACK_CARDS } from "@/lib/workshop/lab/attacks";
import { chapterPath, CHAPTERS, withLifetimes, type Chapter, type QuotedLifetimes } from "@/lib/workshop/learn/chapters";
import { LabRun } from "./lab-run";
import { Prose } from "./prose";
import { WalkthroughRun } from "./walkthrough-run";

const cardsOf = (ids: readonly string[]) => ids.map((id) => ATTACK_CARDS.find((c) => c.id === id)!);

/** One chapter: its text, the RFC sections behind it, the runs it ends in, and the way on. */
export function ChapterView({
  chapter,
  number,
  previous,
  next,
  lifetimes,
}: {
  chapter: Chapter;
  number: number;
  previous?: Chapter;
  next?: Chapter;
  lifetimes: QuotedLifetimes;
}) {
  return (
    <article aria-labelledby="chapter-title" className="space-y-8 text-lg leading-relaxed text-slate-800">
      <header className="space-y-2">
        <p className="text-base font-semibold uppercase tracking-wider text-slate-700">
          <Link href="/learn" className="text-blue-800 underline">
            Learn
          </Link>{" "}
          · Chapter {number} of {CHAPTERS.length}
        </p>
        <h1 id="chapter-title" className="text-3xl font-bold text-slate-900 sm:text-4xl">
          {chapter.title}
        </h1>
        <p className="max-w-4xl text-xl text-slate-700">{chapter.summary}</p>
      </header>

      {chapter.sections.map((section, i) => (
        <section key={section.heading} aria-labelledby={`section-${i}`} className="max-w-4xl space-y-3">
          <h2 id={`section-${i}`} className="text-2xl font-semibold text-slate-900">
            {section.heading}
          </h2>
          {section.paragraphs.map((p, j) => (
            <p key={j}>
              <Prose text={withLifetimes(p, lifetimes)} />
            </p>
          ))}
        </section>
      ))}

      {chapter.listCards && (
        <section aria-labelledby="cards" className="max-w-4xl space-y-3">
          <h2 id="cards" className="text-2xl font-semibold text-slate-900">
            {chapter.slug === "attacks" ? "The eight cards" : "Its cards"}
          </h2>
          <ul aria-label="The lab's cards" className="space-y-2">
            {cardsOf(chapter.runs.flatMap((r) => (r.kind === "lab" ? r.attacks : []))).map((card) => (
              <li key={card.id} className="rounded-md border border-slate-200 bg-white px-4 py-2">
                <strong>{card.title}.</strong> {card.defense} <span className="text-slate-700">({card.rfc})</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="rfcs" className="max-w-4xl space-y-3">
        <h2 id="rfcs" className="text-2xl font-semibold text-slate-900">
          The RFC sections
        </h2>
        <ul aria-label="RFC sections of this chapter" className="list-disc space-y-1 pl-6">
          {chapter.rfcs.map((r) => (
            <li key={r.ref}>
              <strong className="whitespace-nowrap">{r.ref}</strong>: {r.about}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="run-it" className="space-y-6 rounded-xl border-2 border-blue-700 bg-blue-50 p-5 sm:p-6">
        <h2 id="run-it" className="text-2xl font-semibold text-slate-900">
          Run it
        </h2>
        {chapter.runs.map((run, i) => (
          <div key={run.label} className="space-y-3">
            <p id={`run-${i}`} className="max-w-4xl">
              <Prose text={run.then} />
            </p>
            {run.kind === "walkthrough" ? (
              <WalkthroughRun label={run.label} describedBy={`run-${i}`} />
            ) : (
              <LabRun label={run.label} cards={cardsOf(run.attacks)} describedBy={`run-${i}`} idPrefix={`run-${i}`} />
            )}
          </div>
        ))}
      </section>

      <nav aria-label="Chapters" className="flex flex-wrap justify-between gap-4 border-t border-slate-300 pt-6">
        {previous ? (
          <Link href={chapterPath(previous)} className="text-blue-800 underline">
            Previous: {number - 1}. {previous.title}
          </Link>
        ) : (
          <Link href="/learn" className="text-blue-800 underline">
            All chapters
          </Link>
        )}
        {next ? (
          <Link href={chapterPath(next)} className="font-semibold text-blue-800 underline">
            Next: {number + 1}. {next.title}
          </Link>
        ) : (
          <Link href="/lab" className="font-semibold text-blue-800 underline">
            On to the lab
          </Link>
        )}
      </nav>
    </article>
  );
}
