"""Whole-response cache for anonymous GraphQL reads, invalidated by a content version.

An entry's key holds the sha256 of the document, variables and operation name, and the current
content *version*: a random token kept under one cache key. Any change to content the API shows
replaces the token, so every older entry becomes unreachable at once, with no key scanning;
old entries simply expire. The token is replaced right away (a request during the change's
transaction may still cache what it read before, under the new token) and again when the
transaction commits.

Scheduled content changes without a save: an article appears at its ``published_at`` and goes
at its ``unpublish_at``. The version therefore carries the earliest such future time among
published articles; once that time has passed, the next request replaces the token and looks up
the following one. It is found by one indexed query when the version is missing or passed, and
otherwise kept up by the saves themselves (a saved article's own times can only bring it
forward), so a cache hit costs no query.

Backed by Django's default cache: local memory for one process in development, Redis (shared
by every app server) in production.
"""

import hashlib
import json
import logging
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from articles.models import (
    Article,
    ArticleAuthor,
    ArticleBodyImage,
    ArticleTag,
    Correction,
    Section,
    Tag,
)
from authors.models import Author, AuthorLink
from media.models import Image, ImageCredit

logger = logging.getLogger(__name__)

VERSION_KEY = "graphql:content-version"
_ENTRY_PREFIX = "graphql:response"

#: Every model whose rows the API can show; a save or delete of any of them is a change.
CONTENT_MODELS = (
    Article,
    ArticleAuthor,
    ArticleTag,
    ArticleBodyImage,
    Correction,
    Section,
    Tag,
    Author,
    AuthorLink,
    Image,
    ImageCredit,
)


def _next_scheduled_time():
    """The earliest future publish or take-down time among published articles (a timestamp)."""
    now = timezone.now()
    times = Article.objects.filter(status=Article.Status.PUBLISHED).aggregate(
        publish=Min("published_at", filter=Q(published_at__gt=now)),
        unpublish=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
    )
    found = [value.timestamp() for value in times.values() if value is not None]
    return min(found) if found else None


def _article_times(article):
    """An article's own future times that change what readers see."""
    if article is None or article.status != Article.Status.PUBLISHED:
        return []
    now = time.time()
    return [
        value.timestamp()
        for value in (article.published_at, article.unpublish_at)
        if value is not None and value.timestamp() > now
    ]


def _new_version(bound):
    return (secrets.token_hex(8), bound)


def current_version():
    """The content version for reading: its token, renewed once a scheduled time has passed."""
    version = cache.get(VERSION_KEY)
    if version is None or (version[1] is not None and version[1] <= time.time()):
        version = _new_version(_next_scheduled_time())
        cache.set(VERSION_KEY, version, None)
    return version[0]


def bump(article=None):
    """Make every cached response unreachable; ``article`` is a saved article, if any."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None or (version[1] is not None and version[1] <= time.time()):
            bound = _next_scheduled_time()
        else:
            bound = version[1]
        times = _article_times(article) + ([bound] if bound is not None else [])
        cache.set(VERSION_KEY, _new_version(min(times) if times else None), None)
    except Exception:
        # A cache outage must not stop editors saving; the entries go with the cache anyway.
        logger.exception("Could not renew the GraphQL response cache version.")


def _content_changed(sender, instance=None, **kwargs):
    article = instance if isinstance(instance, Article) else None
    bump(article)
    transaction.on_commit(lambda: bump(article), robust=True)


def _settings_changed(setting, **kwargs):
    # Settings change the output (URLs, limits); only tests change them at runtime.
    try:
        cache.delete(VERSION_KEY)
    except Exception:  # an unreachable cache holds no stale answers either
        logger.debug("Could not renew the GraphQL response cache version.", exc_info=True)


def connect_signals():
    for model in CONTENT_MODELS:
        uid = f"response_cache_{model.__name__}"
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"{uid}_delete")
    for relation in (Article.authors, Article.tags, Article.body_images):
        m2m_changed.connect(
            _content_changed,
            sender=relation.through,
            dispatch_uid=f"response_cache_m2m_{relation.through.__name__}",
        )
    setting_changed.connect(_settings_changed, dispatch_uid="response_cache_settings")


def entry_key(document, variables, operation_name, version, origin=""):
    """The entry of one query at one content version.

    ``origin`` is the scheme and host the request came in on: image URLs in a response are
    made absolute with them, so an API reached under two names (an internal one for server-side
    rendering, the public one for browsers) keeps one entry per name.
    """
    payload = json.dumps(
        [document, variables or {}, operation_name or None, origin],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return f"{_ENTRY_PREFIX}:{version}:{hashlib.sha256(payload.encode()).hexdigest()}"


def get(key):
    """A stored ``(body, tags)`` pair, or None; a cache outage is a miss."""
    try:
        return cache.get(key)
    except Exception:
        logger.exception("GraphQL response cache unavailable.")
        return None


def store(key, body, tags):
    try:
        cache.set(key, (body, tags), settings.GRAPHQL_RESPONSE_CACHE_TIMEOUT)
    except Exception:
        logger.exception("GraphQL response cache unavailable.")


def version_or_none():
    """The current version, or None when the cache cannot be read (then nothing is cached)."""
    try:
        return current_version()
    except Exception:
        logger.exception("GraphQL response cache unavailable.")
        return None
