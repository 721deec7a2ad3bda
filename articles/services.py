"""Writes with editorial rules: publishing and unpublishing articles, and the photo rules.

The admin's actions call these, and so will the API and scheduled jobs, so the rules live in one
place. Each article is saved on its own (not with ``QuerySet.update()``) so that ``save()`` and
any signal handlers run, and ``modified_at`` moves.

Two rules concern photos: an article is not published while its lead photo lacks alt text or a
credit (``IMAGE_CREDIT_REQUIRED``), and :func:`articles_with_expiring_image_rights` finds the
published articles whose lead photo may soon no longer be used.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import Article

_PUBLISH_FIELDS = ["status", "published_at", "unpublish_at", "modified_at"]


class NotPublishable(ValidationError):
    """An article that may not be published yet; the message says what to fix."""


def lead_image_problem(image):
    """Why ``image`` may not lead a published article (alt text or credit missing), or ``None``.

    Always ``None`` when ``IMAGE_CREDIT_REQUIRED`` is off, and for an article without a photo.
    """
    if image is None or not settings.IMAGE_CREDIT_REQUIRED:
        return None
    missing = []
    if not image.alt_text.strip():
        missing.append(_("alt text"))
    if image.credit_id is None:
        missing.append(_("a credit"))
    if not missing:
        return None
    return format_lazy(
        _("The lead photo “{title}” needs {missing} before the article can be published."),
        title=image.title,
        missing=format_lazy(_("{} and {}"), *missing) if len(missing) == 2 else missing[0],
    )


def check_publishable(article):
    """Raise :class:`NotPublishable` if ``article`` breaks a publication rule."""
    problem = lead_image_problem(article.lead_image)
    if problem is not None:
        raise NotPublishable(problem, code="lead_image_incomplete")


def publish_article(article, now=None):
    """Publish one article; return True if anything changed.

    An empty publication time becomes ``now``; a future one is kept, which schedules the
    article. A take-down time that has already passed is cleared: publishing means "show it".
    Raises :class:`NotPublishable`, changing nothing, when the lead photo lacks alt text or a
    credit (see :func:`lead_image_problem`).
    """
    now = now or timezone.now()
    expired_take_down = article.unpublish_at is not None and article.unpublish_at <= now
    if (
        article.status == Article.Status.PUBLISHED
        and article.published_at is not None
        and not expired_take_down
    ):
        return False
    check_publishable(article)
    article.status = Article.Status.PUBLISHED
    if article.published_at is None:
        article.published_at = now
    if expired_take_down:
        article.unpublish_at = None
    article.save(update_fields=_PUBLISH_FIELDS)
    return True


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


def _locked(queryset, *related):
    # Re-select by primary key: the caller's queryset may carry joins, DISTINCT or prefetches
    # (the admin changelist's does), which row locks do not allow. Only the articles are locked.
    return (
        Article.objects.select_related(*related)
        .select_for_update(of=("self",))
        .filter(pk__in=queryset.values("pk"))
        .order_by("pk")
    )


@dataclass
class BulkPublication:
    """What a bulk publish did: the articles published, and those skipped with the reason."""

    published: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (article, message) pairs


@transaction.atomic
def publish_articles(queryset, now=None) -> BulkPublication:
    """Publish every article in ``queryset`` that the rules allow; say which were skipped."""
    now = now or timezone.now()
    result = BulkPublication()
    for article in _locked(queryset, "lead_image"):
        try:
            if publish_article(article, now):
                result.published.append(article)
        except NotPublishable as error:
            result.skipped.append((article, error.messages[0]))
    return result


@transaction.atomic
def unpublish_articles(queryset):
    """Make every published article in ``queryset`` a draft; return the articles that changed."""
    return [article for article in _locked(queryset) if unpublish_article(article)]


def with_image_rights_expiry(queryset):
    """Annotate ``image_rights_expire_at``: when the lead photo's rights end, the earlier of the
    photo's own date and its credit's; empty when neither has one."""
    own, credit = "lead_image__rights_expire_at", "lead_image__credit__rights_expire_at"
    # Least() of a date and NULL is NULL on some databases: coalesce each side first.
    return queryset.annotate(
        image_rights_expire_at=Least(Coalesce(own, credit), Coalesce(credit, own))
    )


def articles_with_expiring_image_rights(days=None, now=None, queryset=None):
    """Published articles whose lead photo's rights end within ``days`` days or have ended.

    ``days`` defaults to ``IMAGE_RIGHTS_WARNING_DAYS``. Scheduled articles count (they will
    appear); articles taken down, or due to be taken down before the rights end, do not. Most
    urgent first.
    """
    now = now or timezone.now()
    days = settings.IMAGE_RIGHTS_WARNING_DAYS if days is None else days
    queryset = Article.objects.all() if queryset is None else queryset
    return (
        with_image_rights_expiry(queryset)
        .filter(
            status=Article.Status.PUBLISHED,
            image_rights_expire_at__lte=now + timedelta(days=days),
        )
        .filter(
            Q(unpublish_at__isnull=True)
            | (Q(unpublish_at__gt=now) & Q(unpublish_at__gt=F("image_rights_expire_at")))
        )
        .order_by("image_rights_expire_at", "id")
    )
