// The CMS's change webhook. Verifies the signature exactly as the CMS signs (HMAC-SHA256 keyed
// with the endpoint's secret over "<Webhook-Timestamp>.<raw body>", sent as
// `Webhook-Signature: v1=<hex>`), refuses timestamps more than five minutes away, then expires
// the cached CMS data of exactly what the event names:
// - `path:<path>` for each of `data.paths` (each page tags its fetches with its own path);
// - each of `data.cache_tags` as it is (`list:articles`, `list:sections`, ...);
// - `list:articles` when the event names articles: the front page, section, author and search
//   lists show their headlines, photos and bylines;
// - `list:sections` for a section change (the masthead lists the sections).
import { createHmac, timingSafeEqual } from "node:crypto";

import { revalidatePath, revalidateTag } from "next/cache";

export const dynamic = "force-dynamic";

const TOLERANCE_SECONDS = 300;
/** Expire at once: the next request renders from fresh CMS data, not a stale copy. */
const NOW = { expire: 0 };

type ChangeEvent = {
  id: string;
  type: string;
  data: { articles?: unknown[]; sections?: unknown[]; paths?: string[]; cache_tags?: string[] };
};

function validSignature(secret: string, timestamp: string, body: string, header: string): boolean {
  const expected = Buffer.from(
    "v1=" + createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex"),
  );
  // The header may hold several space-separated signatures (while a secret is being replaced).
  // Lengths are compared in bytes: timingSafeEqual throws on buffers of different lengths, and a
  // forged header with a multi-byte character must be refused, not answered with a 500.
  return header.split(" ").some((value) => {
    const candidate = Buffer.from(value);
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  });
}

/** What an event expires: tags of this site's data cache, and the paths to re-render. */
function affected(event: ChangeEvent): { tags: string[]; paths: string[] } {
  const paths = (event.data.paths ?? []).filter((path) => typeof path === "string" && path.startsWith("/"));
  const tags = new Set([...paths.map((path) => `path:${path}`), ...(event.data.cache_tags ?? [])]);
  if (event.data.articles?.length) tags.add("list:articles");
  if (event.type.startsWith("section.")) tags.add("list:sections");
  return { tags: [...tags], paths };
}

export async function POST(request: Request) {
  const secret = process.env.CMS_WEBHOOK_SECRET;
  if (!secret) return new Response("CMS_WEBHOOK_SECRET is not set.", { status: 503 });
  const body = await request.text(); // the raw body: parsed only once the signature checks out
  const timestamp = request.headers.get("webhook-timestamp") ?? "";
  const signature = request.headers.get("webhook-signature") ?? "";
  const fresh = /^\d+$/.test(timestamp) && Math.abs(Date.now() / 1000 - Number(timestamp)) <= TOLERANCE_SECONDS;
  if (!fresh || !validSignature(secret, timestamp, body, signature)) {
    return new Response("Invalid or expired signature.", { status: 401 });
  }
  let event: ChangeEvent;
  try {
    event = JSON.parse(body) as ChangeEvent;
    if (typeof event.type !== "string" || typeof event.data !== "object" || !event.data) throw new Error();
  } catch {
    return new Response("The body is not a change event.", { status: 400 });
  }
  const { tags, paths } = affected(event);
  for (const tag of tags) revalidateTag(tag, NOW);
  for (const path of paths) revalidatePath(path);
  return Response.json({ event: event.id, revalidated: { tags, paths } });
}
