// The article body from the CMS's typed blocks. Paragraph, list and quote HTML is the CMS's
// sanitised inline markup (links, emphasis); embeds are plain links: no third-party player or
// script is loaded.
import type { ArticleQuery } from "@/gql/graphql";

import { Photo } from "./Photo";

type Block = NonNullable<ArticleQuery["article"]>["body"][number];

function BodyBlock({ block }: { block: Block }) {
  switch (block.__typename) {
    case "ParagraphBlock":
      return <p dangerouslySetInnerHTML={{ __html: block.html }} />;
    case "HeadingBlock": {
      const Heading = (`h${Math.min(Math.max(block.level, 2), 4)}`) as "h2" | "h3" | "h4";
      return <Heading>{block.text}</Heading>;
    }
    case "ListBlock": {
      const List = block.ordered ? "ol" : "ul";
      return (
        <List>
          {block.items.map((item, index) => (
            <li key={index} dangerouslySetInnerHTML={{ __html: item }} />
          ))}
        </List>
      );
    }
    case "QuoteBlock":
      return (
        <blockquote className={block.pull ? "pull-quote" : undefined}>
          <p dangerouslySetInnerHTML={{ __html: block.html }} />
          {block.attribution ? <cite>{block.attribution}</cite> : null}
        </blockquote>
      );
    case "ImageBlock":
      return <Photo photo={block.image} caption={block.caption} className="figure--inline" />;
    case "EmbedBlock":
      return (
        <figure className={`embed embed--${block.provider}`}>
          <a href={block.url} rel="noopener nofollow">
            {block.provider === "link" ? block.url : `View on ${block.provider}: ${block.url}`}
          </a>
          {block.caption ? <figcaption>{block.caption}</figcaption> : null}
        </figure>
      );
    case "DividerBlock":
      return <hr />;
    default:
      return null;
  }
}

export function Body({ blocks }: { blocks: Block[] }) {
  return (
    <div className="body">
      {blocks.map((block, index) => (
        <BodyBlock key={index} block={block} />
      ))}
    </div>
  );
}
