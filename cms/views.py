"""The GraphQL endpoint."""

from django.conf import settings
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView

from .limits import set_default_code
from .schema import schema


class CMSGraphQLView(GraphQLView):
    def process_result(self, request, result):
        for error in result.errors or ():
            set_default_code(error)
        return super().process_result(request, result)


# Read-only and cookie-less for frontends, hence CSRF-exempt: no mutations, no uploads, and
# strawberry refuses form-encoded bodies, so a cross-site form cannot drive it.
graphql_view = csrf_exempt(
    CMSGraphQLView.as_view(
        schema=schema,
        graphql_ide="graphiql" if settings.DEBUG else None,
        allow_queries_via_get=True,
        multipart_uploads_enabled=False,
    )
)
