"""The GraphQL endpoint."""

from django.conf import settings
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView

from .schema import schema

# Read-only and cookie-less for frontends, hence CSRF-exempt: no mutations, no uploads, and
# strawberry refuses form-encoded bodies, so a cross-site form cannot drive it.
graphql_view = csrf_exempt(
    GraphQLView.as_view(
        schema=schema,
        graphql_ide="graphiql" if settings.DEBUG else None,
        allow_queries_via_get=True,
        multipart_uploads_enabled=False,
    )
)
