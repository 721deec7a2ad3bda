// The page around every route: masthead with the sections, and the footer. No web fonts, no
// analytics: the only host the browser talks to besides this site is the CMS (for photos).
import Link from "next/link";
import type { ReactNode } from "react";

import { cmsQuery } from "@/lib/cms";
import { SectionsQuery } from "@/lib/queries";

export const SITE_NAME = "The Ostmere Courier";

export async function Shell({ children, head }: { children: ReactNode; head?: ReactNode }) {
  const { sections } = await cmsQuery(SectionsQuery, {}, { tags: ["list:sections"] });
  return (
    <html lang="en">
      <head>{head}</head>
      <body>
        <header className="masthead">
          <Link href="/" className="masthead__name">
            {SITE_NAME}
          </Link>
          <nav aria-label="Sections">
            {sections.map((section) => (
              <Link key={section.slug} href={`/sections/${section.slug}/`}>
                {section.name}
              </Link>
            ))}
            <Link href="/search/">Search</Link>
          </nav>
        </header>
        <main>{children}</main>
        <footer className="site-footer">
          <p>{SITE_NAME}: an example site reading the Newsroom CMS&apos;s GraphQL API.</p>
        </footer>
      </body>
    </html>
  );
}
