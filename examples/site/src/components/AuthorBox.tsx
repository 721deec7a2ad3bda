import Link from "next/link";

import type { PhotoFieldsFragment } from "@/gql/graphql";

import { creditLine, Picture } from "./Photo";

export type AuthorBoxAuthor = {
  name: string;
  slug: string;
  role: string;
  location: string;
  bio: string;
  avatar?: PhotoFieldsFragment | null;
  links: { label: string; url: string }[];
};

/** Who wrote it: name, role, location, bio and links (the author's own sites and profiles). */
export function AuthorBox({ author, heading = "h3" }: { author: AuthorBoxAuthor; heading?: "h1" | "h3" }) {
  const Heading = heading;
  return (
    <section className="author-box" aria-label={`About ${author.name}`}>
      {author.avatar ? (
        <div className="author-box__avatar">
          <Picture photo={author.avatar} sizes="96px" />
        </div>
      ) : null}
      <div>
        <Heading className="author-box__name">
          {heading === "h1" ? author.name : <Link href={`/authors/${author.slug}/`}>{author.name}</Link>}
        </Heading>
        <p className="author-box__role">
          {[author.role, author.location].filter(Boolean).join(", ")}
        </p>
        {author.bio ? <p className="author-box__bio">{author.bio}</p> : null}
        {author.avatar && creditLine(author.avatar) ? (
          <p className="credit">Portrait: {creditLine(author.avatar)}</p>
        ) : null}
        {author.links.length ? (
          <ul className="author-box__links">
            {author.links.map((link) => (
              <li key={link.url}>
                <a href={link.url} rel="me noopener">
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </section>
  );
}
