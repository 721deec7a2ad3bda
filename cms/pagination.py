"""Relay connections with the API's page-size rules.

Every connection takes ``first`` (default ``GRAPHQL_DEFAULT_PAGE_SIZE``) and refuses a page
larger than ``GRAPHQL_MAX_PAGE_SIZE`` or a negative one with a ``BAD_USER_INPUT`` error, instead
of the library's silent "whole table" when ``first`` is omitted. The size check itself runs once
per request, before any resolver, in :class:`cms.limits.PageSizeLimit`; this module sets the
default and turns a malformed cursor into a clean client error.

This is generic GraphQL plumbing shared by the apps' types, so the apps import it from here.
"""

from typing import Any

import strawberry_django
from django.conf import settings
from graphql import GraphQLError
from strawberry_django.fields.field import StrawberryDjangoConnectionExtension
from strawberry_django.optimizer import optimize
from strawberry_django.relay import DjangoCursorConnection

BAD_USER_INPUT = "BAD_USER_INPUT"


class PagedConnectionExtension(StrawberryDjangoConnectionExtension):
    def apply(self, field):
        super().apply(field)
        for argument in field.arguments:
            if argument.python_name == "first":
                argument.default = settings.GRAPHQL_DEFAULT_PAGE_SIZE

    def resolve(self, next_, source, info, *, first=None, last=None, **kwargs: Any):
        if first is None and last is None:
            first = settings.GRAPHQL_DEFAULT_PAGE_SIZE
        try:
            return super().resolve(next_, source, info, first=first, last=last, **kwargs)
        except ValueError as error:
            # The library's cursor parser says "Invalid cursor" for any undecodable cursor.
            raise GraphQLError(
                f"Invalid pagination argument: {error}", extensions={"code": BAD_USER_INPUT}
            ) from None


def connection(graphql_type=None, **kwargs):
    """A keyset-paginated connection field (``DjangoCursorConnection``) with our page rules."""
    return strawberry_django.field(
        graphql_type=graphql_type,
        extensions=[PagedConnectionExtension(max_results=settings.GRAPHQL_MAX_PAGE_SIZE)],
        **kwargs,
    )


def nested_page(queryset, info):
    """A nested connection (an author's articles) resolved as a page of its own.

    Nested article connections are resolved like top-level ones rather than prefetched by the
    optimizer: that keeps keyset pagination and a separate ``COUNT`` (a window count over a
    section's whole archive costs more as it grows), at one page query per parent.
    """
    return optimize(queryset, info)


__all__ = ["BAD_USER_INPUT", "DjangoCursorConnection", "connection"]
