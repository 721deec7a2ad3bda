// The one way the site talks to the CMS: GraphQL queries by hash over GET (persisted queries),
// cached in Next's data cache under tags that the CMS's change webhooks name, or never cached
// for previews.
import type { TypedDocumentString } from "@/gql/graphql";
import manifest from "@/gql/persisted-documents.json";

/** The build's persisted documents, `{"sha256:<hash>": text}`, as registered with the CMS. */
const documents: Record<string, string> = manifest;

/** Where the server reaches the CMS, e.g. http://127.0.0.1:8000 (no trailing slash). */
export function cmsUrl(): string {
  const url = process.env.CMS_URL;
  if (!url) throw new Error("CMS_URL is not set: the site needs the CMS's address.");
  return url.replace(/\/+$/, "");
}

export class CmsError extends Error {
  constructor(
    message: string,
    readonly codes: string[],
  ) {
    super(message);
  }
}

type Options =
  | { tags: string[]; preview?: false }
  /** A draft seen through a preview token: never stored, by us or anyone on the way. */
  | { preview: true; tags?: never };

type GraphQLResponse<T> = {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
};

function hashOf(document: { __meta__?: Record<string, unknown> }): string {
  const hash = document.__meta__?.hash;
  if (typeof hash !== "string") throw new Error("The document has no persisted-query hash: run `npm run codegen`.");
  return hash.replace(/^sha256:/, "");
}

function operationName(document: { toString(): string }): string {
  const match = /\b(?:query|mutation|subscription)\s+(\w+)/.exec(document.toString());
  if (!match) throw new Error("Every document of the site must be a named operation.");
  return match[1];
}

function getUrl(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.set(key, typeof value === "string" ? value : JSON.stringify(value));
  }
  return `${cmsUrl()}/graphql/?${search}`;
}

/**
 * Runs a query generated from the site's documents and returns its typed data.
 *
 * The request names the document by its sha256 (`extensions.persistedQuery`), as registered in
 * the CMS by `manage.py register_queries` from the build's manifest. A CMS in automatic
 * persisted-query mode that has not seen the hash yet answers PERSISTED_QUERY_NOT_FOUND; the
 * site then sends hash and text once (uncached), which teaches the CMS the hash; later requests
 * go by hash alone. Only 200 answers enter Next's data cache, and persisted-query errors are 400s
 * with the `application/graphql-response+json` media type, so a miss is never cached.
 */
export async function cmsQuery<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  options: Options,
): Promise<TResult> {
  const hash = hashOf(document);
  const base = {
    operationName: operationName(document),
    variables,
    extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
  };
  const init: RequestInit = options.preview
    ? { cache: "no-store" }
    : { cache: "force-cache", next: { tags: options.tags } };
  const headers = { Accept: "application/graphql-response+json" };

  let response = await fetch(getUrl(base), { ...init, headers });
  let body = (await response.json()) as GraphQLResponse<TResult>;
  if (body.errors?.some((error) => error.extensions?.code === "PERSISTED_QUERY_NOT_FOUND")) {
    const taught = await fetch(getUrl({ ...base, query: documents[`sha256:${hash}`] }), {
      cache: "no-store",
      headers,
    });
    response = taught;
    body = (await taught.json()) as GraphQLResponse<TResult>;
  }
  if (body.errors?.length || !body.data) {
    const errors = body.errors ?? [];
    throw new CmsError(
      errors.map((error) => error.message).join("; ") || `The CMS answered ${response.status}.`,
      errors.map((error) => error.extensions?.code ?? ""),
    );
  }
  return body.data;
}
