"""Writes with editorial rules: who may do what, publishing and unpublishing, the photo rules.

The admin (its form and its actions) calls these, and so will the API and scheduled jobs, so the
rules live in one place. Each article is saved on its own (not with ``QuerySet.update()``) so
that ``save()`` and any signal handlers run, and ``modified_at`` moves.

Roles: writers (``articles.change_article``) edit their own drafts and articles in review and
move them between draft and review; editors (``articles.publish_article``,
``articles.edit_any_article``) publish, schedule, unpublish, archive and edit anything. A
``user`` of ``None`` is the system (management commands, scheduled jobs) and may do anything.
A refusal raises :class:`NotAllowed` and changes nothing.

Photo rules: an article is not published while its lead photo or any photo in its body lacks
alt text or a credit (``IMAGE_CREDIT_REQUIRED``), and a photo that published articles show
keeps them; :func:`articles_with_expiring_image_rights` finds the published articles whose lead
photo may soon no longer be used.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from media.models import Image

from . import revisions
from .body import image_ids
from .models import Article

_PUBLISH_FIELDS = ["status", "published_at", "unpublish_at", "modified_at"]


# -- Roles ------------------------------------------------------------------------------------

PUBLISH_PERMISSION = "articles.publish_article"
EDIT_ANY_PERMISSION = "articles.edit_any_article"
#: The statuses a writer may give an article, in the order the admin offers them.
WRITER_STATUSES = (Article.Status.DRAFT, Article.Status.REVIEW)
#: The fields that schedule an article or take it down: editors only.
SCHEDULE_FIELDS = ("published_at", "unpublish_at")
#: The fields :func:`check_change` judges.
WORKFLOW_FIELDS = ("status", *SCHEDULE_FIELDS)


class NotAllowed(PermissionDenied):
    """The user's role does not allow the change; the message says why. Nothing was changed."""


class WrongStatus(ValidationError):
    """The article's status does not allow the step (submitting a published article, say)."""


def can_publish(user):
    """Whether ``user`` may publish, schedule, unpublish and archive articles.

    ``None`` is the system (management commands), which may.
    """
    return user is None or user.has_perm(PUBLISH_PERMISSION)


def is_own_article(user, article):
    """Whether ``article`` is ``user``'s: they created it, or their author profile is on its
    byline. A new, unsaved article is the user's own."""
    if not user.is_authenticated:
        return False
    if article.pk is None or article.created_by_id == user.pk:
        return True
    return article.bylines.filter(author__user=user).exists()


def can_edit(user, article):
    """Whether ``user`` may change ``article`` (or create it, when it is new).

    Editors edit anything; writers their own drafts and articles in review, not what is
    published or archived.
    """
    if user is None:
        return True
    if not user.has_perm(
        "articles.add_article" if article.pk is None else "articles.change_article"
    ):
        return False
    if user.has_perm(EDIT_ANY_PERMISSION):
        return True
    return article.status in WRITER_STATUSES and is_own_article(user, article)


def require_publisher(user):
    """Raise :class:`NotAllowed` unless ``user`` may publish."""
    if not can_publish(user):
        raise NotAllowed(_("Only editors can publish, schedule, unpublish or archive articles."))


def require_editable(user, article):
    """Raise :class:`NotAllowed` unless ``user`` may change ``article``."""
    if not can_edit(user, article):
        raise NotAllowed(
            _("You can edit only your own articles, and only while they are drafts or in review.")
        )


def check_change(user, article, changes):
    """Raise :class:`NotAllowed` unless ``user`` may give ``article`` the ``changes``.

    ``article`` is as stored (or new and unsaved); ``changes`` maps field names to the values
    about to be saved, as a form's cleaned data does (fields not given are unchanged). Writers
    may move their articles between draft and review only, and may not set the publication or
    take-down time, whatever a form offered them.
    """
    require_editable(user, article)
    if can_publish(user):
        return
    if changes.get("status", article.status) not in WRITER_STATUSES:
        raise NotAllowed(
            _("Writers can set an article to draft or in review; editors publish and archive.")
        )
    for name in SCHEDULE_FIELDS:
        if name in changes and changes[name] != getattr(article, name):
            raise NotAllowed(_("Only editors can set the publication or take-down time."))


# -- Photo rules ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoProblem:
    """A photo that keeps an article from being published, the reason, and the form field
    (``lead_image`` or ``body``) where it is chosen."""

    image: Image
    message: str
    field: str


class NotPublishable(ValidationError):
    """An article that may not be published yet; the messages say what to fix."""

    def __init__(self, problems):
        super().__init__(
            [ValidationError(p.message, code=f"{p.field}_image_incomplete") for p in problems]
        )
        self.problems = problems


def _missing_description(image):
    """What ``image`` lacks to be published ("alt text", "a credit", both), or ``None``."""
    missing = []
    if not image.alt_text.strip():
        missing.append(_("alt text"))
    if image.credit_id is None:
        missing.append(_("a credit"))
    if not missing:
        return None
    return format_lazy(_("{} and {}"), *missing) if len(missing) == 2 else missing[0]


def lead_image_problem(image):
    """Why ``image`` may not lead a published article (alt text or credit missing), or ``None``.

    Always ``None`` when ``IMAGE_CREDIT_REQUIRED`` is off, and for an article without a photo.
    """
    if image is None or not settings.IMAGE_CREDIT_REQUIRED:
        return None
    missing = _missing_description(image)
    if missing is None:
        return None
    return format_lazy(
        _("The lead photo “{title}” needs {missing} before the article can be published."),
        title=image.title,
        missing=missing,
    )


def photo_problems(lead_image, body):
    """Every photo an article with this lead photo and body would publish without alt text or
    a credit: the lead photo, then the body's photos in order (one query for all of them).

    Works on form input as well as on stored articles. Ids of photos that do not exist are
    left to the body's own validation. Empty when ``IMAGE_CREDIT_REQUIRED`` is off.
    """
    if not settings.IMAGE_CREDIT_REQUIRED:
        return []
    problems = []
    problem = lead_image_problem(lead_image)
    if problem is not None:
        problems.append(PhotoProblem(lead_image, problem, "lead_image"))
    ids = image_ids(body or "")
    if ids:
        images = Image.objects.only("title", "alt_text", "credit").in_bulk(ids)
        for image in (images[pk] for pk in ids if pk in images):
            missing = _missing_description(image)
            if missing is not None:
                message = format_lazy(
                    _(
                        "The photo “{title}” in the body needs {missing} before the article "
                        "can be published."
                    ),
                    title=image.title,
                    missing=missing,
                )
                problems.append(PhotoProblem(image, message, "body"))
    return problems


def check_publishable(article):
    """Raise :class:`NotPublishable` if ``article`` breaks a publication rule: its lead photo
    or a photo in its body lacks alt text or a credit."""
    problems = photo_problems(article.lead_image, article.body)
    if problems:
        raise NotPublishable(problems)


def published_articles_using(image, now=None):
    """The published articles (shown now, or scheduled) with ``image`` as their lead photo or
    in their body."""
    now = now or timezone.now()
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .filter(Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now))
        .filter(Q(lead_image=image) | Q(inline_images__image=image))
        .distinct()
        .order_by("title", "id")
    )


def image_change_problems(image, changes):
    """Why ``image`` may not take the ``changes`` ({field: new value} of ``alt_text`` and
    ``credit``): ``(field, message)`` pairs, empty when allowed.

    A photo that published articles show keeps its alt text and credit, as the publication
    rule demands; the message names the articles.
    """
    if image.pk is None or not settings.IMAGE_CREDIT_REQUIRED:
        return []
    cleared = []
    if "alt_text" in changes and not (changes["alt_text"] or "").strip():
        cleared.append(("alt_text", _("its alt text")))
    if "credit" in changes and changes["credit"] is None:
        cleared.append(("credit", _("its credit")))
    if not cleared:
        return []
    shown = 3
    articles = list(published_articles_using(image)[: shown + 1])
    if not articles:
        return []
    titles = ", ".join(f"“{article.title}”" for article in articles[:shown])
    if len(articles) > shown:
        titles = format_lazy(_("{} and others"), titles)
    return [
        (
            field,
            format_lazy(
                ngettext_lazy(
                    "The published article {titles} shows this photo, so it keeps {what}. "
                    "Use another photo there or unpublish the article first.",
                    "The published articles {titles} show this photo, so it keeps {what}. "
                    "Use another photo there or unpublish the articles first.",
                    len(articles),
                ),
                titles=titles,
                what=what,
            ),
        )
        for field, what in cleared
    ]


# -- Workflow steps ---------------------------------------------------------------------------


def submit_for_review(article, user=None):
    """Hand a draft to the editors (draft → in review); return True if it changed.

    By its writer or an editor. An article already in review is left as it is; a published or
    archived one raises :class:`WrongStatus`.
    """
    require_editable(user, article)
    if article.status == Article.Status.REVIEW:
        return False
    if article.status != Article.Status.DRAFT:
        raise WrongStatus(
            _("Only drafts can be submitted for review; this article is %(status)s.")
            % {"status": article.get_status_display().lower()},
            code="not_a_draft",
        )
    article.status = Article.Status.REVIEW
    revisions.save_with_revision(
        article, user, _("Submitted for review"), update_fields=["status", "modified_at"]
    )
    return True


def publish_article(article, now=None, *, user=None):
    """Publish one article; return True if anything changed.

    An empty publication time becomes ``now``; a future one is kept, which schedules the
    article. A take-down time that has already passed is cleared: publishing means "show it".
    Raises :class:`NotAllowed` for a user who may not publish, and :class:`NotPublishable`
    when a photo lacks alt text or a credit (see :func:`photo_problems`), changing nothing.
    """
    require_publisher(user)
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
    revisions.save_with_revision(article, user, _("Published"), update_fields=_PUBLISH_FIELDS)
    return True


def schedule_article(article, published_at, unpublish_at=None, *, user=None):
    """Publish ``article`` at ``published_at`` (a future time schedules it) and take it down at
    ``unpublish_at``, if given; editors only. Returns the article.

    Raises :class:`NotAllowed`, :class:`NotPublishable`, or :class:`ValidationError` for a
    take-down time that is not after the publication time, changing nothing.
    """
    require_publisher(user)
    if unpublish_at is not None and unpublish_at <= published_at:
        raise ValidationError(
            _("The take-down time must be after the publication time."), code="take_down_first"
        )
    check_publishable(article)
    article.status = Article.Status.PUBLISHED
    article.published_at = published_at
    article.unpublish_at = unpublish_at
    revisions.save_with_revision(article, user, _("Scheduled"), update_fields=_PUBLISH_FIELDS)
    return article


def unpublish_article(article, *, user=None):
    """Take a published article off the site by making it a draft again; return True if it was
    published.

    Its publication time is kept, so publishing it again restores the original date.
    """
    require_publisher(user)
    if article.status != Article.Status.PUBLISHED:
        return False
    article.status = Article.Status.DRAFT
    revisions.save_with_revision(
        article, user, _("Unpublished"), update_fields=["status", "modified_at"]
    )
    return True


def archive_article(article, *, user=None):
    """Retire an article: off the site, kept for the record; return True if it changed."""
    require_publisher(user)
    if article.status == Article.Status.ARCHIVED:
        return False
    article.status = Article.Status.ARCHIVED
    revisions.save_with_revision(
        article, user, _("Archived"), update_fields=["status", "modified_at"]
    )
    return True


# -- Many at once -----------------------------------------------------------------------------


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
    skipped: list = field(default_factory=list)  # (article, NotPublishable) pairs


@transaction.atomic
def publish_articles(queryset, now=None, *, user=None) -> BulkPublication:
    """Publish every article in ``queryset`` that the rules allow; say which were skipped.

    Raises :class:`NotAllowed`, publishing nothing, for a user who may not publish.
    """
    require_publisher(user)
    now = now or timezone.now()
    result = BulkPublication()
    for article in _locked(queryset, "lead_image"):
        try:
            if publish_article(article, now, user=user):
                result.published.append(article)
        except NotPublishable as error:
            result.skipped.append((article, error))
    return result


@transaction.atomic
def unpublish_articles(queryset, *, user=None):
    """Make every published article in ``queryset`` a draft; return the articles that changed."""
    require_publisher(user)
    return [article for article in _locked(queryset) if unpublish_article(article, user=user)]


@transaction.atomic
def archive_articles(queryset, *, user=None):
    """Archive every article in ``queryset``; return the articles that changed."""
    require_publisher(user)
    return [article for article in _locked(queryset) if archive_article(article, user=user)]


@dataclass
class BulkSubmission:
    """What a bulk submission for review did: the articles submitted, and those skipped with
    the reason (not the user's, or not a draft)."""

    submitted: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (article, message) pairs


@transaction.atomic
def submit_articles_for_review(queryset, user=None) -> BulkSubmission:
    """Submit every draft in ``queryset`` that ``user`` may edit; say which were skipped."""
    result = BulkSubmission()
    for article in _locked(queryset):
        try:
            if submit_for_review(article, user):
                result.submitted.append(article)
        except NotAllowed as error:
            result.skipped.append((article, str(error)))
        except WrongStatus as error:
            result.skipped.append((article, error.messages[0]))
    return result


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
