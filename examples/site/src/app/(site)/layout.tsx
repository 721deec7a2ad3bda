import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";

import { Shell, SITE_NAME } from "@/components/Shell";

import "../globals.css";

export const metadata: Metadata = { title: { default: SITE_NAME, template: `%s · ${SITE_NAME}` } };

export default async function SiteLayout({ children }: { children: ReactNode }) {
  // Rendered per request from cached, tagged CMS data (see src/lib/cms.ts): the build never
  // needs a running CMS, and a webhook refreshes exactly what changed.
  await connection();
  return <Shell>{children}</Shell>;
}
