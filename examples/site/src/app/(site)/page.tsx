import { ArticleCard } from "@/components/ArticleList";
import { cmsQuery } from "@/lib/cms";
import { FrontPageQuery } from "@/lib/queries";

export default async function FrontPage() {
  const { articles } = await cmsQuery(FrontPageQuery, { first: 13 }, { tags: ["list:articles", "path:/"] });
  const [lead, ...rest] = articles.edges.map((edge) => edge.node);
  return (
    <div className="front">
      <h1 className="visually-hidden">Latest news</h1>
      {lead ? <ArticleCard article={lead} lead /> : <p>Nothing published yet.</p>}
      <div className="cards">
        {rest.map((article) => (
          <ArticleCard key={article.slug} article={article} />
        ))}
      </div>
    </div>
  );
}
