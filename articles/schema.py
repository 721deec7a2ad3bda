from datetime import datetime

import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry_django.optimizer import optimize

from cms.pagination import DjangoCursorConnection, bad_user_input, check_datetime, connection

from . import preview
from .models import Article, Section, Tag
from .search import SearchQueryError
from .types import ArticleOrder, ArticleType, SectionType, TagType


@strawberry.type
class Query:
    @connection(DjangoCursorConnection[ArticleType], description="Public articles.")
    def articles(
        self,
        section: str | None = None,
        tag: str | None = None,
        author: str | None = None,
        published_after: datetime | None = None,
        published_before: datetime | None = None,
        order_by: ArticleOrder | None = ArticleOrder.PUBLISHED_AT_DESC,
    ) -> QuerySet[Article]:
        """Filters take slugs; ``publishedAfter`` is inclusive, ``publishedBefore`` is not."""
        articles = Article.objects.all()
        if section is not None:
            articles = articles.filter(section__slug=section)
        if tag is not None:
            articles = articles.filter(tags__slug=tag)
        if author is not None:
            articles = articles.filter(authors__slug=author, authors__active=True)
        if published_after is not None:
            published_after = check_datetime(published_after, "publishedAfter")
            articles = articles.filter(published_at__gte=published_after)
        if published_before is not None:
            published_before = check_datetime(published_before, "publishedBefore")
            articles = articles.filter(published_at__lt=published_before)
        return articles.order_by(*(order_by or ArticleOrder.PUBLISHED_AT_DESC).value)

    @connection(
        DjangoCursorConnection[ArticleType],
        description=(
            "Public articles matching the words of `query` (at most 200 characters), best "
            "match first: a match in the headline counts most, then the standfirst, then the "
            "body. Only the newest 1,000 matches (setting `SEARCH_MAX_MATCHES`) are ranked, so "
            "`totalCount` is at most 1,000: show it as 1,000+ results when it reaches that. "
            "Cursors resume after the last result's rank."
        ),
    )
    def search(self, query: str) -> QuerySet[Article]:
        try:
            return Article.objects.public().search(query)
        except SearchQueryError as error:
            raise bad_user_input(str(error)) from None

    @strawberry_django.field(
        description=(
            "A public article by slug, or null. With `previewToken` (from the admin's Preview "
            "button) the article in any status, with its current content; a wrong, expired or "
            "other-article token is an `INVALID_PREVIEW_TOKEN` error."
        )
    )
    def article(
        self, info: strawberry.Info, slug: str, preview_token: str | None = None
    ) -> ArticleType | None:
        if preview_token is None:
            return optimize(Article.objects.public().filter(slug=slug), info).first()
        pk = preview.grant_preview(info, slug, preview_token)
        return None if pk is None else optimize(Article.objects.filter(pk=pk), info).first()

    @strawberry_django.field(description="All sections, by name.")
    def sections(self) -> list[SectionType]:
        return Section.objects.all()

    @strawberry_django.field(description="A section by slug, or null.")
    def section(self, info: strawberry.Info, slug: str) -> SectionType | None:
        return optimize(Section.objects.filter(slug=slug), info).first()

    @connection(DjangoCursorConnection[TagType], description="All tags, by name.")
    def tags(self) -> QuerySet[Tag]:
        return Tag.objects.order_by("name", "id")

    @strawberry_django.field(description="A tag by slug, or null.")
    def tag(self, info: strawberry.Info, slug: str) -> TagType | None:
        return optimize(Tag.objects.public().filter(slug=slug), info).first()
