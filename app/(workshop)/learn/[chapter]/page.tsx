import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CHAPTERS, findChapter } from "@/lib/workshop/learn/chapters";
import { requestContext } from "@/lib/server-context";
import { ChapterView } from "../_components/chapter-view";

type Props = { params: Promise<{ chapter: string }> };

export const dynamicParams = false;
export const generateStaticParams = () => CHAPTERS.map((c) => ({ chapter: c.slug }));
// Rendered per request: a chapter quotes the lifetimes in effect, which an instructor may change.
export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const found = findChapter((await params).chapter);
  return { title: found ? `Learn ${found.number}: ${found.chapter.title}` : "Learn" };
}

/** /learn/<chapter>: one chapter of lib/workshop/learn/chapters.ts, ending in its runs. */
export default async function ChapterPage({ params }: Props) {
  const found = findChapter((await params).chapter);
  if (!found) notFound();
  const { config } = await requestContext();
  return (
    <ChapterView
      {...found}
      lifetimes={{ codeLifetime: config.codeTtl, accessTokenLifetime: config.accessTokenTtl, refreshTokenLifetime: config.refreshTokenTtl }}
    />
  );
}
