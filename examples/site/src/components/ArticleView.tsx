import Link from "next/link";

import type { ArticleQuery } from "@/gql/graphql";
import { formatDate } from "@/lib/format";

import { AuthorBox } from "./AuthorBox";
import { Body } from "./Body";
import { Byline } from "./Byline";
import { Photo } from "./Photo";

type Article = NonNullable<ArticleQuery["article"]>;

/** An article page's content, shared by the published page and the preview. */
export function ArticleView({ article }: { article: Article }) {
  const authors = article.byline.map((entry) => entry.author);
  const unique = authors.filter((author, index) => authors.findIndex((a) => a.slug === author.slug) === index);
  return (
    <article className="article">
      <header className="article__header">
        {article.section ? (
          <Link href={`/sections/${article.section.slug}/`} className="kicker">
            {article.section.name}
          </Link>
        ) : null}
        <h1>{article.title}</h1>
        {article.standfirst ? <p className="standfirst">{article.standfirst}</p> : null}
        <p className="meta">
          <Byline byline={article.byline} />
          {article.displayDate ? (
            <>
              {" · "}
              <time dateTime={article.displayDate}>{formatDate(article.displayDate)}</time>
            </>
          ) : null}
        </p>
        {article.originalSource ? (
          <p className="first-appeared">
            This article first appeared at{" "}
            {article.originalSource.url ? (
              <a href={article.originalSource.url}>{article.originalSource.publisher}</a>
            ) : (
              article.originalSource.publisher
            )}
            .
          </p>
        ) : null}
      </header>
      {article.leadImage ? (
        <Photo photo={article.leadImage} caption={article.leadImageCaption} priority className="figure--lead" />
      ) : null}
      <Body blocks={article.body} />
      {article.corrections.length ? (
        <section className="corrections" aria-label="Corrections and updates">
          <h2>Corrections and updates</h2>
          <ul>
            {article.corrections.map((correction) => (
              <li key={`${correction.date}${correction.text}`}>
                <strong>{correction.kind === "UPDATE" ? "Update" : "Correction"}</strong>,{" "}
                <time dateTime={correction.date}>{formatDate(correction.date)}</time>: {correction.text}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {article.tags.length ? (
        <ul className="tags" aria-label="Tags">
          {article.tags.map((tag) => (
            <li key={tag.slug}>{tag.name}</li>
          ))}
        </ul>
      ) : null}
      <footer className="authors">
        {unique.map((author) => (
          <AuthorBox key={author.slug} author={author} />
        ))}
      </footer>
    </article>
  );
}
