// A draft (or any article) as the admin's Preview button shows it: fetched with the preview
// token on every request, never stored by this site, a proxy or the browser.
import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { ArticleView } from "@/components/ArticleView";
import { CmsError, cmsQuery } from "@/lib/cms";
import { ArticleQuery } from "@/lib/queries";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Preview", robots: { index: false, follow: false }, referrer: "no-referrer" };

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ token?: string }> };

export default async function PreviewPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const { token } = await searchParams;
  if (typeof token !== "string" || !token) notFound();
  let article;
  try {
    ({ article } = await cmsQuery(ArticleQuery, { slug, previewToken: token }, { preview: true }));
  } catch (error) {
    if (error instanceof CmsError && error.codes.includes("INVALID_PREVIEW_TOKEN")) {
      return (
        <div className="not-found">
          <h1>This preview link does not work</h1>
          <p>{error.message}</p>
        </div>
      );
    }
    throw error;
  }
  if (!article) notFound();
  return (
    <>
      <p className="preview-banner" role="status">
        Preview: {article.status.toLowerCase()} — readers cannot see this version.
      </p>
      <ArticleView article={article} />
    </>
  );
}
