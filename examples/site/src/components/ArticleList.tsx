import Link from "next/link";

import type { ArticleCardFieldsFragment } from "@/gql/graphql";
import { formatDate } from "@/lib/format";

import { Byline } from "./Byline";
import { Picture } from "./Photo";

export function ArticleCard({ article, lead = false }: { article: ArticleCardFieldsFragment; lead?: boolean }) {
  return (
    <article className={lead ? "card card--lead" : "card"}>
      {article.leadImage ? (
        <Link href={article.path} tabIndex={-1} aria-hidden="true" className="card__photo">
          <Picture photo={article.leadImage} priority={lead} sizes={lead ? "(min-width: 900px) 60vw, 100vw" : "(min-width: 900px) 30vw, 100vw"} />
        </Link>
      ) : null}
      <div className="card__text">
        {article.section ? (
          <Link href={`/sections/${article.section.slug}/`} className="kicker">
            {article.section.name}
          </Link>
        ) : null}
        <h2 className="card__title">
          <Link href={article.path}>{article.title}</Link>
        </h2>
        {article.standfirst ? <p className="card__standfirst">{article.standfirst}</p> : null}
        <p className="meta">
          <Byline byline={article.byline} /> {article.displayDate ? <time dateTime={article.displayDate}>{formatDate(article.displayDate)}</time> : null}
        </p>
      </div>
    </article>
  );
}

type Connection = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  edges: { node: ArticleCardFieldsFragment }[];
};

/** A page of articles, and a link to the next page by cursor (`?after=`). */
export function ArticleList({ connection, basePath, query }: { connection: Connection; basePath: string; query?: Record<string, string> }) {
  const next = connection.pageInfo.hasNextPage && connection.pageInfo.endCursor
    ? `${basePath}?${new URLSearchParams({ ...query, after: connection.pageInfo.endCursor })}`
    : null;
  return (
    <>
      <div className="cards">
        {connection.edges.map(({ node }) => (
          <ArticleCard key={node.slug} article={node} />
        ))}
      </div>
      <nav className="pager" aria-label="More articles">
        {next ? (
          <Link href={next} rel="next">
            Older articles
          </Link>
        ) : null}
      </nav>
    </>
  );
}
