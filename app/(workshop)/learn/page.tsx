import type { Metadata } from "next";
import Link from "next/link";
import { chapterPath, CHAPTERS } from "@/lib/workshop/learn/chapters";

export const metadata: Metadata = { title: "Learn" };

/** /learn: the chapters, in the order a workshop follows them (lib/workshop/learn/chapters.ts). */
export default function LearnPage() {
  const [first] = CHAPTERS;
  return (
    <div className="space-y-8 text-lg leading-relaxed text-slate-800">
      <header className="space-y-3">
        <h1 className="text-3xl font-bold text-slate-900 sm:text-4xl">Learn: the authorization code grant in seven chapters</h1>
        <p className="max-w-4xl text-xl text-slate-700">
          Short chapters to follow in order, alone or in a workshop. Each names the RFC sections behind it and ends in a button that runs
          the part it explains, for real, against this app&apos;s authorization server and API: a walkthrough run, or attacks from the lab.
        </p>
        <p>
          <Link
            href={chapterPath(first)}
            className="inline-flex rounded-md bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800"
          >
            Start with chapter 1: {first.title}
          </Link>
        </p>
      </header>
      <nav aria-labelledby="chapters-heading">
        <h2 id="chapters-heading" className="text-2xl font-semibold text-slate-900">
          Chapters
        </h2>
        <ol aria-label="Chapters" className="mt-3 space-y-3">
          {CHAPTERS.map((c, i) => (
            <li key={c.slug} className="rounded-lg border border-slate-200 bg-white p-4">
              <Link href={chapterPath(c)} className="text-xl font-semibold text-blue-800 underline">
                {i + 1}. {c.title}
              </Link>
              <p className="mt-1 text-slate-700">{c.summary}</p>
            </li>
          ))}
        </ol>
      </nav>
    </div>
  );
}
