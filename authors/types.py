"""GraphQL types of author profiles."""

from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from django.db.models import Exists, QuerySet
from strawberry import auto, relay
from strawberry_django.optimizer import optimize

from cms.fields import ColumnField
from cms.pagination import DjangoCursorConnection, connection, nested_page
from media.types import ImageType

from . import models

if TYPE_CHECKING:
    from articles.types import ArticleType


@strawberry_django.type(models.AuthorLink, name="AuthorLink", field_cls=ColumnField)
class AuthorLinkType:
    label: auto
    url: auto


@strawberry_django.type(models.Author, name="Author", field_cls=ColumnField)
class AuthorType(relay.Node):
    name: auto
    slug: auto
    role: auto
    location: auto
    bio: auto
    avatar: ImageType | None
    links: list[AuthorLinkType]

    @connection(
        DjangoCursorConnection[Annotated["ArticleType", strawberry.lazy("articles.types")]],
        description="The author's public articles, newest first.",
        disable_optimization=True,
    )
    def articles(self, root: models.Author, info: strawberry.Info) -> QuerySet:
        # An inactive author has no page, so no article list of their own either, even when
        # reached through a byline. (Asked in SQL: `root` may have been loaded without `active`.)
        is_active = models.Author.objects.active().filter(pk=root.pk)
        return nested_page(root.articles.filter(Exists(is_active)), info)

    @strawberry_django.field(only=["slug"])
    def path(self, root: models.Author) -> str:
        return root.path

    @strawberry_django.field(only=["slug"])
    def url(self, root: models.Author) -> str | None:
        return root.get_absolute_url()

    @classmethod
    def resolve_id(cls, root, *, info):
        return str(root.pk)

    @classmethod
    def resolve_node(cls, node_id, *, info, required=False):
        # Inactive authors have no page of their own, so `node(id)` hides them too. (Bylines
        # still show them: that is why this is not the type's `get_queryset`.)
        authors = models.Author.objects.active().filter(pk=node_id)
        return optimize(authors, info).first()
