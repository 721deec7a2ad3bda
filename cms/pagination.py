"""Relay connections with the API's page rules, shared by the apps' GraphQL types.

Every connection is keyset-paginated (``DjangoCursorConnection``), takes ``first`` with a
default of ``GRAPHQL_DEFAULT_PAGE_SIZE`` (instead of the library's "whole table" when it is
omitted) and answers a malformed cursor with ``BAD_USER_INPUT``. Page sizes and the cost of
nested pages are checked once per request in :class:`cms.limits.QueryCost`.

This is generic GraphQL plumbing, so the apps import it from here rather than each keeping a
copy.
"""

import json
import re
from datetime import UTC, datetime
from typing import Any

import strawberry_django
from django.conf import settings
from graphql import GraphQLError
from strawberry.relay import from_base64
from strawberry_django.fields.field import StrawberryDjangoConnectionExtension
from strawberry_django.optimizer import optimize
from strawberry_django.relay import DjangoCursorConnection

from .limits import BAD_USER_INPUT

_INTEGER = re.compile(r"-?[0-9]+")
_BIGGEST_KEY = 2**63 - 1


def bad_user_input(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": BAD_USER_INPUT})


def check_cursor(cursor: str | None) -> None:
    """Refuse a cursor we could not have issued before it reaches the database.

    The library decodes cursors itself; this catches values it would pass on to the database
    and that only fail there (an integer past 64 bits, a date past year 9999 in UTC).
    """
    if cursor is None:
        return
    try:
        _prefix, payload = from_base64(cursor)
        values = json.loads(payload)
    except (ValueError, TypeError):
        raise bad_user_input("Invalid cursor.") from None
    if not isinstance(values, list):
        raise bad_user_input("Invalid cursor.")
    for value in values:
        if not isinstance(value, str) or len(value) > 1000:
            continue  # the library refuses other shapes with its own "Invalid cursor"
        if _INTEGER.fullmatch(value) and abs(int(value)) > _BIGGEST_KEY:
            raise bad_user_input("Invalid cursor.")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            continue
        check_datetime(moment, "cursor")


def check_datetime(moment: datetime, name: str) -> datetime:
    """A client-supplied instant: it must carry an offset and be representable in UTC."""
    if moment.tzinfo is None:
        raise bad_user_input(f"`{name}` needs a UTC offset, as in 2026-01-31T09:00:00+00:00.")
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise bad_user_input(f"`{name}` is out of range.") from None
    return moment


class PagedConnectionExtension(StrawberryDjangoConnectionExtension):
    def apply(self, field):
        super().apply(field)
        for argument in field.arguments:
            if argument.python_name == "first":
                argument.default = settings.GRAPHQL_DEFAULT_PAGE_SIZE

    def resolve(self, next_, source, info, *, first=None, last=None, **kwargs: Any):
        if first is None and last is None:
            first = settings.GRAPHQL_DEFAULT_PAGE_SIZE
        check_cursor(kwargs.get("after"))
        check_cursor(kwargs.get("before"))
        try:
            return super().resolve(next_, source, info, first=first, last=last, **kwargs)
        except ValueError as error:
            if "cursor" not in str(error).lower():
                raise
            # A cursor of another ordering, or one that decodes to the wrong values.
            raise bad_user_input(f"Invalid cursor: {error}") from None


def connection(graphql_type=None, **kwargs):
    """A keyset-paginated connection field with the API's page rules."""
    return strawberry_django.field(
        graphql_type=graphql_type,
        extensions=[PagedConnectionExtension(max_results=settings.GRAPHQL_MAX_PAGE_SIZE)],
        **kwargs,
    )


def nested_page(queryset, info):
    """A nested connection (an author's articles) resolved as a page of its own.

    Nested article connections are resolved like top-level ones rather than prefetched by the
    optimizer: that keeps keyset pagination and a separate ``COUNT`` (a window count over a
    section's whole archive costs more as the archive grows), at one page query per parent.
    :class:`cms.limits.QueryCost` bounds how many parents one request may ask this for.
    """
    return optimize(queryset, info)


__all__ = [
    "DjangoCursorConnection",
    "bad_user_input",
    "check_datetime",
    "connection",
    "nested_page",
]
