// The CMS's PREVIEW_URL: /api/preview?slug=<slug>&token=<token>. Sends the editor on to the
// preview page, which checks the token with the CMS on every request.
import { NextResponse, type NextRequest } from "next/server";

export const dynamic = "force-dynamic";

const SLUG = /^[-\w]+$/;

export function GET(request: NextRequest) {
  const slug = request.nextUrl.searchParams.get("slug") ?? "";
  const token = request.nextUrl.searchParams.get("token") ?? "";
  if (!SLUG.test(slug) || !token) {
    return new NextResponse("A preview link needs a slug and a token.", { status: 400 });
  }
  // A relative Location: the browser stays on the host it asked (the server's own idea of its
  // host may differ behind a proxy).
  const target = `/preview/${slug}/?${new URLSearchParams({ token })}`;
  return new NextResponse(null, {
    status: 307,
    headers: { Location: target, "Cache-Control": "private, no-store" },
  });
}
