import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CHAPTERS, findChapter } from "@/lib/learn/chapters";
import { ChapterView } from "../_components/chapter-view";

type Props = { params: Promise<{ chapter: string }> };

export const dynamicParams = false;
export const generateStaticParams = () => CHAPTERS.map((c) => ({ chapter: c.slug }));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const found = findChapter((await params).chapter);
  return { title: found ? `Learn ${found.number}: ${found.chapter.title}` : "Learn" };
}

/** /learn/<chapter>: one chapter of lib/learn/chapters.ts, ending in its runs. */
export default async function ChapterPage({ params }: Props) {
  const found = findChapter((await params).chapter);
  if (!found) notFound();
  return <ChapterView {...found} />;
}
