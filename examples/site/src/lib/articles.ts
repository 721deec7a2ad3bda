import { cache } from "react";

import { cmsQuery } from "./cms";
import { ArticleQuery } from "./queries";

/** The CMS's path for an article (FRONTEND_PATHS), which its webhooks name. */
export const articlePath = (slug: string) => `/articles/${slug}/`;

/** A public article, from the data cache, tagged with its path for the webhook. */
export const getArticle = cache(async (slug: string) => {
  const { article } = await cmsQuery(ArticleQuery, { slug }, { tags: [`path:${articlePath(slug)}`] });
  return article ?? null;
});
