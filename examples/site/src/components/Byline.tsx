import Link from "next/link";
import { Fragment } from "react";

import { roleLabel } from "@/lib/format";

type Entry = { role: string; author: { name: string; slug: string } };

/** "By A and B · Photos by C": names grouped by their byline role, in byline order. */
export function Byline({ byline }: { byline: Entry[] }) {
  const groups = new Map<string, Entry[]>();
  for (const entry of byline) groups.set(entry.role, [...(groups.get(entry.role) ?? []), entry]);
  return (
    <span className="byline">
      {[...groups].map(([role, entries], index) => (
        <Fragment key={role}>
          {index ? " · " : null}
          {roleLabel(role)}{" "}
          {entries.map((entry, position) => (
            <Fragment key={entry.author.slug}>
              {position ? (position === entries.length - 1 ? " and " : ", ") : null}
              <Link href={`/authors/${entry.author.slug}/`}>{entry.author.name}</Link>
            </Fragment>
          ))}
        </Fragment>
      ))}
    </span>
  );
}
