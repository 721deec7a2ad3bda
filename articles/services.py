"""Writes with editorial rules: publishing and unpublishing articles.

The admin's actions call these, and so will the API and scheduled jobs, so the rules live in one
place. Each article is saved on its own (not with ``QuerySet.update()``) so that ``save()`` and
any signal handlers run, and ``modified_at`` moves.
"""

from django.db import transaction
from django.utils import timezone

from .models import Article

_PUBLISH_FIELDS = ["status", "published_at", "unpublish_at", "modified_at"]


def publish_article(article, now=None):
    """Publish one article; return True if anything changed.

    An empty publication time becomes ``now``; a future one is kept, which schedules the
    article. A take-down time that has already passed is cleared: publishing means "show it".
    """
    now = now or timezone.now()
    changed = False
    if article.status != Article.Status.PUBLISHED:
        article.status = Article.Status.PUBLISHED
        changed = True
    if article.published_at is None:
        article.published_at = now
        changed = True
    if article.unpublish_at is not None and article.unpublish_at <= now:
        article.unpublish_at = None
        changed = True
    if changed:
        article.save(update_fields=_PUBLISH_FIELDS)
    return changed


def unpublish_article(article):
    """Take a published article off the site by making it a draft again; return True if it was
    published.

    Its publication time is kept, so publishing it again restores the original date.
    """
    if article.status != Article.Status.PUBLISHED:
        return False
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "modified_at"])
    return True


def _locked(queryset):
    # Re-select by primary key: the caller's queryset may carry joins, DISTINCT or prefetches
    # (the admin changelist's does), which row locks do not allow.
    return Article.objects.select_for_update().filter(pk__in=queryset.values("pk")).order_by("pk")


@transaction.atomic
def publish_articles(queryset, now=None):
    """Publish every article in ``queryset``; return the articles that changed."""
    now = now or timezone.now()
    return [article for article in _locked(queryset) if publish_article(article, now)]


@transaction.atomic
def unpublish_articles(queryset):
    """Make every published article in ``queryset`` a draft; return the articles that changed."""
    return [article for article in _locked(queryset) if unpublish_article(article)]
