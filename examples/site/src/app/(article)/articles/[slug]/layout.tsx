// Article pages have a root layout of their own so that their JSON-LD (a schema.org
// NewsArticle from the CMS) goes in the document's <head>.
import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";

import { Shell, SITE_NAME } from "@/components/Shell";
import { getArticle } from "@/lib/articles";

import "../../../globals.css";

export const metadata: Metadata = { title: { default: SITE_NAME, template: `%s · ${SITE_NAME}` } };

/** JSON-LD for a <script> element: "<" escaped so the text cannot close the element. */
function jsonLdText(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

export default async function ArticleLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  await connection();
  const { slug } = await params;
  const article = await getArticle(slug);
  const head = article ? (
    <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLdText(article.jsonLd) }} />
  ) : null;
  return <Shell head={head}>{children}</Shell>;
}
