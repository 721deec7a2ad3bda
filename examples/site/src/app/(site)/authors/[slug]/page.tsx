import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { ArticleList } from "@/components/ArticleList";
import { AuthorBox } from "@/components/AuthorBox";
import { cmsQuery } from "@/lib/cms";
import { AuthorQuery } from "@/lib/queries";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ after?: string }> };

async function load(slug: string, after?: string) {
  const path = `/authors/${slug}/`;
  const { author } = await cmsQuery(AuthorQuery, { slug, after: after ?? null }, { tags: [`path:${path}`, "list:articles"] });
  return author;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const author = await load((await params).slug);
  return author ? { title: author.name, description: author.bio } : {};
}

export default async function AuthorPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const { after } = await searchParams;
  const author = await load(slug, typeof after === "string" ? after : undefined);
  if (!author) notFound();
  return (
    <div className="listing">
      <AuthorBox author={author} heading="h1" />
      <h2>Articles by {author.name}</h2>
      <ArticleList connection={author.articles} basePath={`/authors/${slug}/`} />
    </div>
  );
}
