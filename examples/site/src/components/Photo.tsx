// A photo as the CMS's `picture` payload describes it: one <source> per format, an <img> with
// width and height (so the layout keeps its place while loading), the dominant colour and the
// BlurHash behind it until it arrives, and its caption and credit line.
import type { PhotoFieldsFragment } from "@/gql/graphql";

import { Blurhash } from "./Blurhash";

type Props = {
  photo: PhotoFieldsFragment;
  /** The caption for this use; the photo's own caption otherwise. */
  caption?: string | null;
  sizes?: string;
  /** Above the fold: load at once rather than lazily. */
  priority?: boolean;
  figure?: boolean;
  className?: string;
};

export function creditLine(photo: PhotoFieldsFragment): string | null {
  const credit = photo.credit;
  if (!credit) return null;
  return credit.creator && !credit.text.includes(credit.creator)
    ? `${credit.creator} / ${credit.text}`
    : credit.text;
}

export function Picture({ photo, sizes = "(min-width: 900px) 800px, 100vw", priority = false }: Props) {
  const { picture } = photo;
  return (
    <span
      className="photo"
      style={{ backgroundColor: photo.dominantColor ?? undefined, aspectRatio: `${picture.width} / ${picture.height}` }}
    >
      {photo.placeholder ? <Blurhash hash={photo.placeholder} /> : null}
      <picture>
        {picture.sources.map((source) => (
          <source key={source.type} type={source.type} srcSet={source.srcset} sizes={sizes} />
        ))}
        <img
          src={picture.fallback.url}
          width={picture.width}
          height={picture.height}
          alt={photo.altText}
          loading={priority ? "eager" : "lazy"}
          decoding="async"
        />
      </picture>
    </span>
  );
}

export function Photo(props: Props) {
  const caption = props.caption ?? props.photo.caption;
  const credit = creditLine(props.photo);
  return (
    <figure className={`figure ${props.className ?? ""}`}>
      <Picture {...props} />
      {caption || credit ? (
        <figcaption>
          {caption ? <span className="caption">{caption} </span> : null}
          {credit ? <span className="credit">Photo: {credit}</span> : null}
        </figcaption>
      ) : null}
    </figure>
  );
}
