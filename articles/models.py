"""Articles and how they are organised: sections, tags, bylines and corrections."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from authors.models import Author
from media.models import Image

from .body import image_ids, sanitize_body


class Taxonomy(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        abstract = True
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return settings.FRONTEND_URL + self.path

    @property
    def path(self):
        return settings.FRONTEND_PATHS[self._meta.model_name].format(slug=self.slug)


class Section(Taxonomy):
    """A desk of the newsroom and a part of the site: World, Business, Science."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("section")
        verbose_name_plural = _("sections")


class TagQuerySet(models.QuerySet):
    def public(self, now=None, preview=()):
        """Tags on at least one public article (or one a preview token grants, see below).

        A tag made for a story still in draft ("takeover-talks") must not announce the story.
        """
        articles = Article.objects.public(now, preview).filter(tags=models.OuterRef("pk"))
        return self.filter(models.Exists(articles))


class Tag(Taxonomy):
    objects = TagQuerySet.as_manager()

    class Meta(Taxonomy.Meta):
        # The API's optimizer loads related rows through the base manager; this one has
        # `public()`, which the GraphQL type applies (`objects` itself filters nothing).
        base_manager_name = "objects"
        verbose_name = _("tag")
        verbose_name_plural = _("tags")


class ArticleQuerySet(models.QuerySet):
    def public(self, now=None, preview=()):
        """Articles anonymous readers may see: published, due, and not yet taken down.

        The one statement of the visibility rule; every public path goes through it.
        ``preview`` holds the primary keys of articles a valid preview token has opened for
        this request (see ``articles.preview``): they count as visible whatever their status.
        """
        now = now or timezone.now()
        visible = (Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now)) & Q(
            status=Article.Status.PUBLISHED, published_at__lte=now
        )
        if preview:
            visible |= Q(pk__in=preview)
        return self.filter(visible)

    def newest_first(self):
        return self.order_by("-published_at", "-id")

    def search(self, text):
        """Articles matching ``text``, best match first, annotated with ``search_rank``.

        Raises ``articles.search.SearchQueryError`` for a blank or over-long ``text``.
        """
        from .search import search

        return search(self, text)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("headline"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    standfirst = models.TextField(
        _("standfirst"), blank=True, help_text=_("The summary under the headline.")
    )
    body = models.TextField(
        _("body"), blank=True, help_text=_("HTML; anything outside the allowed markup is removed.")
    )
    lead_image = models.ForeignKey(
        Image,
        verbose_name=_("lead photo"),
        related_name="lead_articles",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    lead_image_caption = models.TextField(
        _("lead photo caption"),
        blank=True,
        help_text=_("Leave empty to use the photo’s default caption."),
    )
    authors = models.ManyToManyField(
        Author, through="ArticleAuthor", related_name="articles", verbose_name=_("authors")
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        related_name="articles",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    tags = models.ManyToManyField(
        Tag, through="ArticleTag", related_name="articles", verbose_name=_("tags")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("Readers see the article from this time on; a future time schedules it."),
    )
    unpublish_at = models.DateTimeField(
        _("take down at"),
        null=True,
        blank=True,
        help_text=_("Optional: the article disappears from the site at this time."),
    )
    original_publisher = models.CharField(
        _("first published by"),
        max_length=200,
        blank=True,
        help_text=_("For syndicated pieces: the outlet where it first appeared."),
    )
    original_url = models.URLField(_("original URL"), blank=True)
    canonical_url = models.URLField(
        _("canonical URL"), blank=True, help_text=_("Defaults to the original URL, if any.")
    )
    seo_title = models.CharField(_("SEO title"), max_length=255, blank=True)
    seo_description = models.TextField(_("SEO description"), blank=True)
    social_image = models.ForeignKey(
        Image,
        verbose_name=_("social image"),
        related_name="social_articles",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Shown when the article is shared; defaults to the lead photo."),
    )
    first_published_at = models.DateTimeField(
        _("first published"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set the first time the article is published; never changes afterwards."),
    )
    display_date = models.DateTimeField(
        _("display date"),
        null=True,
        blank=True,
        help_text=_(
            "Optional: the date printed on the article, if not the publication time. "
            "Changes only what readers see, not order or visibility."
        ),
    )
    body_images = models.ManyToManyField(
        Image,
        through="ArticleBodyImage",
        related_name="body_articles",
        verbose_name=_("photos in the body"),
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Grows by one on every save, so a form based on an older version is refused."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified at"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("publish_article", _("Can publish, schedule and unpublish articles")),
            ("edit_any_article", _("Can edit articles written by others")),
        ]
        # The public listing, overall and per section, newest first; `unpublish_at` last so
        # that counting the public archive (`totalCount`) reads the index alone.
        indexes = [
            models.Index(
                fields=["status", "-published_at", "-id", "unpublish_at"],
                name="article_public_idx",
            ),
            models.Index(
                fields=["section", "status", "-published_at", "-id", "unpublish_at"],
                name="article_section_public_idx",
            ),
            models.Index(fields=["-published_at", "-id"], name="article_published_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_date",
                violation_error_message=_("A published article needs a publication time."),
            ),
            models.CheckConstraint(
                condition=Q(unpublish_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(unpublish_at__gt=models.F("published_at")),
                name="article_unpublish_after_publish",
                violation_error_message=_("The take-down time must be after the publication time."),
            ),
        ]
        # The API's optimizer loads related rows through the base manager; this one has
        # `public()`, which the GraphQL type applies (`objects` itself filters nothing).
        base_manager_name = "objects"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Sanitise the body, save, and keep the body's photo rows in step, all or nothing."""
        self.body = sanitize_body(self.body)
        update_fields = kwargs.get("update_fields")
        body_saved = update_fields is None or "body" in update_fields
        if body_saved:
            self.validate_body_images()
        with transaction.atomic():
            self._save_fields(*args, **kwargs)
            if body_saved:
                self.sync_body_images()

    def get_absolute_url(self):
        return settings.FRONTEND_URL + self.path

    def _save_fields(self, *args, **kwargs):
        if self.record_first_publication() and kwargs.get("update_fields"):
            kwargs["update_fields"] = {*kwargs["update_fields"], "first_published_at"}
        if self._state.adding or kwargs.get("update_fields") == []:
            return super().save(*args, **kwargs)
        # Counted up by the database itself, so no save is lost to a stale copy; a form opened
        # on an older version is then refused (see articles/revisions.py).
        version, self.version = self.version, models.F("version") + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        try:
            super().save(*args, **kwargs)
        except BaseException:
            self.version = version
            raise
        self.refresh_from_db(fields=["version"])

    @property
    def path(self):
        return settings.FRONTEND_PATHS["article"].format(slug=self.slug)

    @property
    def is_public(self):
        return Article.objects.public().filter(pk=self.pk).exists()

    def record_first_publication(self, now=None) -> bool:
        """Set ``first_published_at`` the first time the article is published; True if changed.

        It is the publication time of the first publication and never changes once that time
        has come: unpublishing, republishing and later edits keep it. Until then (a scheduled
        article) it follows the schedule, and it is cleared if the article is withdrawn before
        it ever appeared. Called by ``save()``, so every path that publishes is covered.
        """
        now = now or timezone.now()
        first = self.first_published_at
        if first is not None and first <= now:
            return False
        if self.status == Article.Status.PUBLISHED and self.published_at is not None:
            self.first_published_at = self.published_at
        else:
            self.first_published_at = None
        return self.first_published_at != first

    def byline_authors(self):
        """Everyone on the byline, in reading order.

        Uses the bylines loaded by :func:`prefetch_bylines` when present, else queries them.
        """
        bylines = getattr(self, "ordered_bylines", None)
        if bylines is None:
            bylines = self.bylines.select_related("author").order_by("position", "id")
        return [byline.author for byline in bylines]

    def clean(self):
        super().clean()
        self.validate_body_images()

    def validate_body_images(self):
        """``ValidationError`` on the body if it shows photos that are not in the library.

        Judged on the body as it will be stored: a figure the sanitiser drops is no reference.
        """
        ids = image_ids(sanitize_body(self.body))
        if not ids:
            return
        unknown = sorted(
            set(ids) - set(Image.objects.filter(pk__in=ids).values_list("pk", flat=True))
        )
        if unknown:
            raise ValidationError(
                {
                    "body": ValidationError(
                        _(
                            "The body shows photos that are not in the library (ids %(ids)s); "
                            "remove them or choose other photos."
                        ),
                        code="unknown_image",
                        params={"ids": ", ".join(map(str, unknown))},
                    )
                }
            )

    def sync_body_images(self):
        """Make the ``ArticleBodyImage`` rows match the photos the body shows."""
        wanted = set(image_ids(self.body))
        have = set(self.inline_images.values_list("image_id", flat=True))
        if have - wanted:
            self.inline_images.filter(image_id__in=have - wanted).delete()
        if wanted - have:
            ArticleBodyImage.objects.bulk_create(
                ArticleBodyImage(article=self, image_id=image_id)
                for image_id in sorted(wanted - have)
            )


class ArticleAuthor(models.Model):
    """One name on an article's byline, in order."""

    class BylineRole(models.TextChoices):
        WRITTEN_BY = "written-by", _("Written by")
        PHOTOS_BY = "photos-by", _("Photos by")
        ADDITIONAL_REPORTING = "additional-reporting", _("Additional reporting")
        EDITED_BY = "edited-by", _("Edited by")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), related_name="bylines", on_delete=models.CASCADE
    )
    author = models.ForeignKey(
        Author, verbose_name=_("author"), related_name="bylines", on_delete=models.PROTECT
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    byline_role = models.CharField(
        _("byline role"), max_length=32, choices=BylineRole.choices, default=BylineRole.WRITTEN_BY
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("byline")
        verbose_name_plural = _("byline")
        constraints = [
            # One line per person: "written by" and "photos by" the same person is one byline.
            models.UniqueConstraint(fields=["article", "author"], name="byline_author_once"),
        ]

    def __str__(self):
        return f"{self.author} on “{self.article}” ({self.get_byline_role_display().lower()})"


class ArticleTag(models.Model):
    """An article's tag; its own row so a tag in use cannot be deleted."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), related_name="article_tags", on_delete=models.CASCADE
    )
    tag = models.ForeignKey(
        Tag, verbose_name=_("tag"), related_name="article_tags", on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.UniqueConstraint(fields=["article", "tag"], name="article_tag_unique"),
        ]

    def __str__(self):
        return f"“{self.article}” tagged {self.tag}"


def prefetch_bylines(select_related=(), prefetch_related=()):
    """Load articles' bylines in reading order, with their authors, into ``ordered_bylines``.

    The arguments name what else to load along, such as ``"author__avatar"`` (joined) or
    ``"author__links"`` (prefetched).
    """
    bylines = (
        ArticleAuthor.objects.select_related("author", *select_related)
        .prefetch_related(*prefetch_related)
        .order_by("position", "id")
    )
    return models.Prefetch("bylines", queryset=bylines, to_attr="ordered_bylines")


class ArticleBodyImage(models.Model):
    """A photo from the library used inline in an article's body.

    Kept in step with the body on save, so a photo in use cannot be deleted and the API can load
    every inline photo of an article in one query.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("article"), related_name="inline_images", on_delete=models.CASCADE
    )
    image = models.ForeignKey(
        Image, verbose_name=_("photo"), related_name="inline_uses", on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("photo in the body")
        verbose_name_plural = _("photos in the body")
        constraints = [
            models.UniqueConstraint(fields=["article", "image"], name="article_body_image_once"),
        ]

    def __str__(self):
        return f"{self.image} in “{self.article}”"


class ArticleRevision(models.Model):
    """A saved state of an article: its fields, byline, tags and body, who saved it and when.

    ``data`` is a JSON snapshot, so a revision survives later changes to the article's schema
    and can be compared with and restored over the current article.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("article"), related_name="revisions", on_delete=models.CASCADE
    )
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    summary = models.CharField(_("summary"), max_length=255, blank=True)
    data = models.JSONField(_("content"))

    class Meta:
        ordering = ["-version", "-id"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["article", "version"], name="revision_version_once"),
        ]

    def __str__(self):
        return f"“{self.article}”, version {self.version}"


class Correction(models.Model):
    """A dated note appended to an article: a correction of a fact, or an update to the story."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), related_name="corrections", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CORRECTION)
    date = models.DateTimeField(_("date"), default=timezone.now)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self):
        return f"{self.get_kind_display()} of {self.date:%Y-%m-%d} to “{self.article}”"
