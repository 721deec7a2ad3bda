"""The public GraphQL schema: the apps' queries merged, with limits and the optimizer."""

import re

import strawberry
import strawberry_django
from django.conf import settings
from strawberry import relay
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry_django.optimizer import DjangoOptimizerExtension

from articles.schema import Query as ArticlesQuery
from authors.schema import Query as AuthorsQuery

from .limits import (
    QueryCost,
    ValidationErrorCodes,
    is_internal_error,
    shape_rules,
    should_mask_error,
)

_PRIMARY_KEY = re.compile(r"[1-9][0-9]{0,17}")


@strawberry.type
class NodeQuery:
    @strawberry_django.field(description="Any object by its global id, or null if hidden.")
    def node(self, info: strawberry.Info, id: relay.GlobalID) -> relay.Node | None:
        # Every node has a positive 64-bit integer key; anything else names nothing, just like a
        # missing id (and "007" must not be a second name for 7).
        if not _PRIMARY_KEY.fullmatch(id.node_id):
            return None
        node_type = info.schema.get_type_by_name(id.type_name)
        if node_type is None or not getattr(node_type, "is_type_of", None):
            return None
        return id.resolve_node_sync(info, required=False)


class QueryOptimizer(DjangoOptimizerExtension):
    """strawberry-django's optimizer without its per-field ``resolve`` hook.

    The hook wraps every field of every response (about 900 on a front page) to catch a
    resolver that hands back an unevaluated queryset. Ours never do: strawberry-django fields
    optimize their own querysets, and custom resolvers call ``optimize()`` themselves (the
    query-count tests hold them to it). Without a ``resolve`` method strawberry installs no
    field middleware at all.
    """

    resolve = SchemaExtension.resolve


Query = merge_types("Query", (ArticlesQuery, AuthorsQuery, NodeQuery))

_SHAPE_RULES = shape_rules()

extensions = [
    ValidationErrorCodes,
    lambda: MaskErrors(should_mask_error=should_mask_error),
    lambda: MaxTokensLimiter(max_token_count=settings.GRAPHQL_MAX_TOKENS),
    lambda: ParserCache(maxsize=512),
    lambda: AddValidationRules(_SHAPE_RULES),
    lambda: ValidationCache(maxsize=512),
    QueryCost,
    QueryOptimizer,
]
if not settings.GRAPHQL_INTROSPECTION:
    extensions.append(DisableIntrospection)


class Schema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None):
        # Log our own failures with their tracebacks; a client's bad query is not an error here.
        internal = [error for error in errors if is_internal_error(error)]
        if internal:
            super().process_errors(internal, execution_context)


schema = Schema(
    query=Query,
    extensions=extensions,
    config=StrawberryConfig(
        relay_max_results=settings.GRAPHQL_MAX_PAGE_SIZE,
        disable_field_suggestions=not settings.DEBUG,
    ),
)
