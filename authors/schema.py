import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry_django.optimizer import optimize

from cms.pagination import DjangoCursorConnection, connection

from .models import Author
from .types import AuthorType


@strawberry.type
class Query:
    @connection(DjangoCursorConnection[AuthorType], description="Active authors, by name.")
    def authors(self) -> QuerySet[Author]:
        return Author.objects.active().order_by("name", "id")

    @strawberry_django.field(description="An active author by slug, or null.")
    def author(self, info: strawberry.Info, slug: str) -> AuthorType | None:
        return optimize(Author.objects.active().filter(slug=slug), info).first()
