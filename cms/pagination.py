"""Relay connections with the API's page rules, shared by the apps' GraphQL types.

Every connection is keyset-paginated (``DjangoCursorConnection``), takes ``first`` with a
default of ``GRAPHQL_DEFAULT_PAGE_SIZE`` (instead of the library's "whole table" when it is
omitted) and answers a malformed cursor with ``BAD_USER_INPUT``. Page sizes and the cost of
nested pages are checked once per request in :class:`cms.limits.QueryCost`.

This is generic GraphQL plumbing, so the apps import it from here rather than each keeping a
copy.
"""

import hashlib
import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

import strawberry
import strawberry_django
from django.conf import settings
from django.core.cache import cache
from graphql import GraphQLError
from strawberry import relay
from strawberry.relay import from_base64
from strawberry_django.fields.field import StrawberryDjangoConnectionExtension
from strawberry_django.optimizer import optimize
from strawberry_django.pagination import get_total_count
from strawberry_django.relay import DjangoCursorConnection as LibraryCursorConnection

from . import response_cache
from .limits import BAD_USER_INPUT

logger = logging.getLogger(__name__)

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


@strawberry.type(name="CursorConnection", description="A connection to a list of items.")
class DjangoCursorConnection(LibraryCursorConnection[relay.NodeType]):
    """strawberry-django's keyset connection, with ``totalCount`` kept per content version.

    Counting a list is O(list): 95,000 public articles take tens of milliseconds even as an
    index-only scan, on every uncached front page. What a list holds changes only when content
    changes or a scheduled time passes, which is exactly when the response cache's content
    version changes (:mod:`cms.response_cache`); so a count is stored under that version and the
    list's identity (the field, its parent object and its arguments, set by
    :class:`PagedConnectionExtension`), and later requests read it from the cache. Requests
    that a preview token widens always count (their lists may hold a draft).
    """

    count_key: strawberry.Private[str | None] = None

    @strawberry.field(description="Total quantity of existing nodes.")
    def total_count(self) -> int:
        if self.count_key is None:
            return get_total_count(self.total_count_qs)
        try:
            count = cache.get(self.count_key)
        except Exception:
            logger.exception("Could not read a cached count.")
            return get_total_count(self.total_count_qs)
        if count is None:
            count = get_total_count(self.total_count_qs)
            try:
                cache.set(self.count_key, count, settings.GRAPHQL_RESPONSE_CACHE_TIMEOUT)
            except Exception:
                logger.exception("Could not cache a count.")
        return count


def _count_key(source, info, arguments) -> str | None:
    """The cache key of a list's count, or None when it must be counted.

    Called before the list's queryset exists: the version is read first, so a count taken
    after a scheduled time passes can only land under an older version, never be kept under
    the one that follows it (as ``cms.views`` does for whole responses).
    """
    if not settings.GRAPHQL_COUNT_CACHE:
        return None
    request = getattr(info.context, "request", None)
    if getattr(request, "preview_article_ids", None):
        return None
    version = response_cache.version_or_none()
    if version is None:
        return None
    identity = [info.path.typename, info.field_name, getattr(source, "pk", None), arguments]
    payload = json.dumps(identity, sort_keys=True, separators=(",", ":"), default=str)
    return f"graphql:count:{version}:{hashlib.sha256(payload.encode()).hexdigest()}"


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
        # The list's own arguments: not the cursor, nor the parent object the resolver gets.
        arguments = {
            name: value
            for name, value in kwargs.items()
            if name not in ("after", "before", "root", "info")
        }
        count_key = _count_key(source, info, arguments)
        try:
            page = super().resolve(next_, source, info, first=first, last=last, **kwargs)
        except ValueError as error:
            if "cursor" not in str(error).lower():
                raise
            # A cursor of another ordering, or one that decodes to the wrong values.
            raise bad_user_input(f"Invalid cursor: {error}") from None
        if isinstance(page, DjangoCursorConnection):
            page.count_key = count_key
        return page


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
