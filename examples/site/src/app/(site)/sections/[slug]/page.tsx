import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { ArticleList } from "@/components/ArticleList";
import { cmsQuery } from "@/lib/cms";
import { SectionQuery } from "@/lib/queries";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ after?: string }> };

async function load(slug: string, after?: string) {
  const path = `/sections/${slug}/`;
  const { section } = await cmsQuery(SectionQuery, { slug, after: after ?? null }, { tags: [`path:${path}`, "list:articles"] });
  return section;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const section = await load((await params).slug);
  return section ? { title: section.name, description: section.description } : {};
}

export default async function SectionPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const { after } = await searchParams;
  const section = await load(slug, typeof after === "string" ? after : undefined);
  if (!section) notFound();
  return (
    <div className="listing">
      <h1>{section.name}</h1>
      {section.description ? <p className="standfirst">{section.description}</p> : null}
      <ArticleList connection={section.articles} basePath={`/sections/${slug}/`} />
    </div>
  );
}
