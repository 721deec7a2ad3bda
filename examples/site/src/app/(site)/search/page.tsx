import type { Metadata } from "next";

import { ArticleList } from "@/components/ArticleList";
import { CmsError, cmsQuery } from "@/lib/cms";
import { SearchQuery } from "@/lib/queries";

export const metadata: Metadata = { title: "Search" };

type Props = { searchParams: Promise<{ q?: string; after?: string }> };

export default async function SearchPage({ searchParams }: Props) {
  const params = await searchParams;
  const q = typeof params.q === "string" ? params.q.trim().slice(0, 200) : "";
  const after = typeof params.after === "string" ? params.after : null;
  let results = null;
  let problem = null;
  if (q) {
    try {
      results = (await cmsQuery(SearchQuery, { query: q, after }, { tags: ["list:articles"] })).search;
    } catch (error) {
      if (!(error instanceof CmsError && error.codes.includes("BAD_USER_INPUT"))) throw error;
      problem = error.message;
    }
  }
  return (
    <div className="listing">
      <h1>Search</h1>
      <form action="/search/" method="get" role="search" className="search-form">
        <input type="search" name="q" defaultValue={q} aria-label="Search articles" maxLength={200} />
        <button type="submit">Search</button>
      </form>
      {problem ? <p className="error">{problem}</p> : null}
      {results ? (
        <>
          <p>
            {results.totalCount} {results.totalCount === 1 ? "article" : "articles"} for “{q}”
          </p>
          <ArticleList connection={results} basePath="/search/" query={{ q }} />
        </>
      ) : null}
    </div>
  );
}
