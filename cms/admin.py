"""Admin for what the API itself keeps: webhook endpoints, and the record of change events and
their deliveries (read-only: the worker writes them)."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.validators import URLValidator
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import persisted_queries, webhooks
from .models import (
    ChangeEvent,
    DeliveryAttempt,
    EventType,
    PersistedQuery,
    WebhookDelivery,
    WebhookEndpoint,
    generate_webhook_secret,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record kept by the system: viewable, never edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Events are POSTed here as JSON (http or https)."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The kinds of change sent to this URL."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "event_types", "active"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "description", "active", "events", "delivered", "pending", "failed"]
    list_filter = ["active"]
    search_fields = ["url", "description"]
    readonly_fields = ["signing_secret", "created_at"]
    actions = ["rotate_secret"]

    def get_fields(self, request, obj=None):
        # The secret signs requests as this CMS: only those who may configure the endpoint
        # see it, not everyone allowed to look at the list.
        fields = super().get_fields(request, obj)
        if not self.has_change_permission(request, obj):
            fields = [field for field in fields if field != "signing_secret"]
        return fields

    def get_queryset(self, request):
        counts = {
            f"{status}_count": Count("deliveries", filter=Q(deliveries__status=status))
            for status in WebhookDelivery.Status.values
        }
        return super().get_queryset(request).annotate(**counts)

    @admin.display(description=_("events"))
    def events(self, endpoint):
        labels = dict(EventType.choices)
        return ", ".join(str(labels.get(value, value)) for value in endpoint.event_types)

    @admin.display(description=_("delivered"), ordering="delivered_count")
    def delivered(self, endpoint):
        return endpoint.delivered_count

    @admin.display(description=_("pending"), ordering="pending_count")
    def pending(self, endpoint):
        return endpoint.pending_count

    @admin.display(description=_("failed"), ordering="failed_count")
    def failed(self, endpoint):
        return endpoint.failed_count

    @admin.display(description=_("signing secret"))
    def signing_secret(self, endpoint):
        if endpoint.pk is None:
            return _("Generated when you save; shown here afterwards.")
        return format_html(
            "<code>{}</code><div class='help'>{}</div>",
            endpoint.secret,
            _("Give this to the receiver, which checks each request’s Webhook-Signature."),
        )

    @admin.action(description=_("Replace the signing secret of selected endpoints"))
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            endpoint.secret = generate_webhook_secret()
            endpoint.save(update_fields=["secret"])
        self.message_user(
            request,
            _("New secrets made; give them to the receivers, which refuse the old ones."),
            messages.WARNING,
        )


class DeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = ["endpoint", "status", "attempts", "next_attempt_at", "delivered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ChangeEvent)
class ChangeEventAdmin(ReadOnlyAdmin):
    list_display = ["type", "created_at", "summary", "dispatched_at"]
    list_filter = ["type"]
    date_hierarchy = "created_at"
    fields = ["id", "type", "created_at", "dispatched_at", "payload_json"]
    readonly_fields = fields
    inlines = [DeliveryInline]

    @admin.display(description=_("changed"))
    def summary(self, event):
        data = event.payload.get("data", {})
        paths = data.get("paths", [])
        return ", ".join(paths[:3]) + (" …" if len(paths) > 3 else "")

    @admin.display(description=_("payload"))
    def payload_json(self, event):
        return format_html("<pre>{}</pre>", json.dumps(event.payload, indent=2, ensure_ascii=False))


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ["at", "status_code", "duration_ms", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "event_type",
        "endpoint",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "endpoint", "event__type"]
    list_select_related = ["event", "endpoint"]
    fields = ["event", "endpoint", "status", "attempts", "next_attempt_at", "delivered_at"]
    readonly_fields = fields
    inlines = [AttemptInline]
    actions = ["retry_now"]

    @admin.display(description=_("event"), ordering="event__type")
    def event_type(self, delivery):
        return delivery.event.type

    def has_retry_permission(self, request):
        """Whoever may configure endpoints may send to them again."""
        return request.user.has_perm("cms.change_webhookendpoint")

    @admin.action(description=_("Send selected deliveries again now"), permissions=["retry"])
    def retry_now(self, request, queryset):
        count = webhooks.retry_now(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery will be sent again by the worker.",
                "%(count)d deliveries will be sent again by the worker.",
                count,
            )
            % {"count": count},
        )


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ReadOnlyAdmin):
    list_display = ["at", "delivery", "status_code", "duration_ms", "short_error"]
    list_filter = ["status_code", "delivery__endpoint"]
    list_select_related = ["delivery__event", "delivery__endpoint"]
    date_hierarchy = "at"

    @admin.display(description=_("error"))
    def short_error(self, attempt):
        return attempt.error[:80]


class PersistedQueryForm(forms.ModelForm):
    class Meta:
        model = PersistedQuery
        fields = ["document", "name", "client"]

    def clean_document(self):
        from .schema import schema

        document = self.cleaned_data["document"]
        try:
            persisted_queries.check_document(document, schema)
        except persisted_queries.InvalidDocument as error:
            raise forms.ValidationError(str(error)) from None
        digest = persisted_queries.sha256(document)
        if PersistedQuery.objects.filter(sha256=digest).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This document is already registered."))
        return document

    def save(self, commit=True):
        self.instance.sha256 = persisted_queries.sha256(self.instance.document)
        return super().save(commit)


@admin.register(PersistedQuery)
class PersistedQueryAdmin(admin.ModelAdmin):
    """The allow-list: documents frontends may run (``manage.py register_queries`` fills it)."""

    form = PersistedQueryForm
    list_display = ["__str__", "client", "short_hash", "created_at"]
    list_filter = ["client"]
    search_fields = ["name", "sha256", "document"]
    readonly_fields = ["sha256", "created_at"]

    @admin.display(description=_("SHA-256"), ordering="sha256")
    def short_hash(self, obj):
        return obj.sha256[:12]
