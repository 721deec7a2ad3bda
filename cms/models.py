"""What the API itself stores: the GraphQL documents registered for the allow-list, and the
change events with their webhook deliveries."""

import secrets
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersistedQuery(models.Model):
    """A GraphQL document a frontend registered, found by the sha256 of its text.

    In allow-list mode only these documents run; otherwise they save clients from sending the
    text (automatic persisted queries keep theirs in the cache instead).
    """

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    document = models.TextField(_("document"))
    name = models.CharField(
        _("operation name"), max_length=200, blank=True, help_text=_("For people reading the list.")
    )
    client = models.CharField(
        _("client"), max_length=100, blank=True, help_text=_("Which frontend registered it.")
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["client", "name", "id"]
        verbose_name = _("registered query")
        verbose_name_plural = _("registered queries")

    def __str__(self):
        return self.name or self.sha256[:12]


# -- Change webhooks ----------------------------------------------------------------------------


class EventType(models.TextChoices):
    """What a change event says happened; endpoints subscribe to a selection of these."""

    ARTICLE_PUBLISHED = "article.published", _("Article published")
    ARTICLE_UPDATED = "article.updated", _("Published article changed")
    ARTICLE_UNPUBLISHED = "article.unpublished", _("Article taken off the site")
    ARTICLE_DELETED = "article.deleted", _("Published article deleted")
    AUTHOR_UPDATED = "author.updated", _("Author shown on the site changed")
    IMAGE_UPDATED = "image.updated", _("Photo shown on the site changed")
    SECTION_UPDATED = "section.updated", _("Section changed")
    TAG_UPDATED = "tag.updated", _("Tag shown on the site changed")


def generate_webhook_secret():
    return "whsec_" + secrets.token_urlsafe(32)


def all_event_types():
    return list(EventType.values)


class WebhookEndpoint(models.Model):
    """A frontend or CDN URL that receives signed change events."""

    url = models.URLField(_("URL"), max_length=500, help_text=_("Events are POSTed here as JSON."))
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        default=generate_webhook_secret,
        help_text=_("The receiver checks each request’s signature with this; keep it private."),
    )
    event_types = models.JSONField(
        _("events"), default=all_event_types, help_text=_("The kinds of change sent here.")
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive endpoints receive nothing new.")
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["url", "id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.description or self.url

    def subscribes_to(self, event_type):
        return event_type in self.event_types


class ChangeEvent(models.Model):
    """A change to public content, written in the same transaction as the change (the outbox).

    The delivery worker fans each event out to the subscribed endpoints; because the row commits
    with the change, a process dying after the commit loses nothing.
    """

    id = models.UUIDField(_("event id"), primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(_("type"), max_length=40, choices=EventType.choices)
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("occurred at"), default=timezone.now, db_index=True)
    dispatched_at = models.DateTimeField(
        _("queued for endpoints at"),
        null=True,
        blank=True,
        help_text=_("When deliveries to the subscribed endpoints were created."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("change event")
        verbose_name_plural = _("change events")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(dispatched_at__isnull=True),
                name="changeevent_undispatched_idx",
            ),
        ]

    def __str__(self):
        return f"{self.type} at {self.created_at:%Y-%m-%d %H:%M:%S}"


class WebhookDelivery(models.Model):
    """One event on its way to one endpoint, retried with backoff until it arrives or fails."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(
        ChangeEvent, verbose_name=_("event"), related_name="deliveries", on_delete=models.CASCADE
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        related_name="deliveries",
        on_delete=models.CASCADE,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "endpoint"], name="delivery_once_per_endpoint"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx"),
        ]

    def __str__(self):
        return f"{self.event.type} to {self.endpoint}"


class DeliveryAttempt(models.Model):
    """One HTTP request of a delivery: what the endpoint answered, and how long it took."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        verbose_name=_("delivery"),
        related_name="attempt_log",
        on_delete=models.CASCADE,
    )
    at = models.DateTimeField(_("sent at"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self):
        outcome = self.status_code or self.error[:40] or "?"
        return f"{self.delivery} at {self.at:%Y-%m-%d %H:%M:%S}: {outcome}"


class AnnouncedArticle(models.Model):
    """An article that events have announced as public, and not yet as gone.

    Compared with ``Article.objects.public()`` it tells "published" from "updated", and lets a
    scheduled time that passes produce its event exactly once. A plain id, not a foreign key, so
    the row outlives the article's deletion until the ``article.deleted`` event is written.
    """

    article_id = models.BigIntegerField(_("article id"), unique=True)
    announced_at = models.DateTimeField(_("announced at"), default=timezone.now)

    class Meta:
        ordering = ["-announced_at", "-id"]
        verbose_name = _("article announced as public")
        verbose_name_plural = _("articles announced as public")

    def __str__(self):
        return f"article {self.article_id}"


class ScheduleCheckpoint(models.Model):
    """How far the delivery worker has looked for scheduled publish and take-down times.

    One row; workers lock it, so two of them never look at the same stretch of time together.
    """

    checked_until = models.DateTimeField(_("checked until"))

    class Meta:
        verbose_name = _("schedule checkpoint")
        verbose_name_plural = _("schedule checkpoints")

    def __str__(self):
        return f"scheduled times checked until {self.checked_until:%Y-%m-%d %H:%M:%S}"
