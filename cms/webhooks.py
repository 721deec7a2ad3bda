"""Delivering change events to webhook endpoints: fan-out, claiming, signing, sending, retries.

The ``deliver_webhooks`` worker calls :func:`run_once` in a loop. Each step is its own short
transaction, and no transaction stays open during an HTTP request:

1. :func:`~cms.events.emit_scheduled_events` writes the events of scheduled times that passed;
2. :func:`dispatch_events` turns each new event into one :class:`WebhookDelivery` per active
   endpoint subscribed to its type;
3. :func:`claim_due` reserves due deliveries for this worker by moving their next attempt
   ``WEBHOOK_CLAIM_SECONDS`` ahead (rows locked with ``SKIP LOCKED`` where the database has it,
   and a compare-and-set update everywhere), so two workers never send the same delivery at once;
4. :func:`deliver` renews the claim of each delivery right before sending it (a compare-and-set
   update: a delivery whose claim ran out while earlier ones of the batch were sent, and that
   another worker claimed since, is skipped), POSTs it and records the attempt, again only while
   the claim is its own: delivered on a 2xx answer, else retried with exponential backoff until
   ``WEBHOOK_MAX_ATTEMPTS``.

A worker that dies after claiming leaves its deliveries pending; they fall due again when the
claim runs out, so every event is delivered at least once. Receivers deduplicate by
``Webhook-Id`` (the event id, the same on every attempt).

Signature: ``Webhook-Signature: v1=<hex HMAC-SHA256 of "<Webhook-Timestamp>.<body>" keyed with
the endpoint's secret (its UTF-8 bytes)>``, where the timestamp is whole seconds since the Unix
epoch, sent as ``Webhook-Timestamp``.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import events
from .models import ChangeEvent, DeliveryAttempt, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

SIGNATURE_VERSION = "v1"
USER_AGENT = "newsroom-cms-webhooks/1"
#: How much of an endpoint's answer or error is kept with an attempt.
_ERROR_LIMIT = 2000


def sign(secret, timestamp, body):
    """The ``Webhook-Signature`` value for ``body`` (bytes) sent at ``timestamp`` (int)."""
    message = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def verify(secret, headers, body, tolerance=300, now=None):
    """True when ``headers`` carry a valid signature of ``body`` made within ``tolerance``
    seconds; what a receiver written in Python does (see the README for JavaScript)."""
    try:
        timestamp = int(headers["Webhook-Timestamp"])
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).encode()
    signatures = headers.get("Webhook-Signature", "").split()
    # As bytes: compare_digest refuses str with non-ASCII characters (a forged header's).
    return any(hmac.compare_digest(expected, candidate.encode()) for candidate in signatures)


def event_body(event):
    """The bytes POSTed for an event: its payload as compact JSON, the same on every attempt."""
    return json.dumps(event.payload, separators=(",", ":"), ensure_ascii=False).encode()


# -- Fan-out and claiming ----------------------------------------------------------------------


def _lock(queryset):
    """Lock the rows, skipping rows another worker holds, where the database can."""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset.select_for_update()


def dispatch_events(batch=100):
    """Create the deliveries of events not yet queued; returns how many events were queued."""
    now = timezone.now()
    with transaction.atomic():
        pending = list(
            _lock(ChangeEvent.objects.filter(dispatched_at__isnull=True)).order_by(
                "created_at", "id"
            )[:batch]
        )
        if not pending:
            return 0
        endpoints = list(WebhookEndpoint.objects.filter(active=True))
        WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(event=event, endpoint=endpoint, next_attempt_at=now)
                for event in pending
                for endpoint in endpoints
                if endpoint.subscribes_to(event.type)
            ],
            ignore_conflicts=True,  # a delivery already made for this pair stays as it is
        )
        ChangeEvent.objects.filter(pk__in=[event.pk for event in pending]).update(dispatched_at=now)
        return len(pending)


def claim_due(batch=50, now=None):
    """Reserve due deliveries for this worker; returns them with event and endpoint loaded."""
    now = now or timezone.now()
    claimed_until = now + timedelta(seconds=settings.WEBHOOK_CLAIM_SECONDS)
    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    )
    claimed = []
    with transaction.atomic():
        rows = _lock(due).order_by("next_attempt_at", "id").values_list("pk", "next_attempt_at")
        for pk, next_attempt_at in rows[:batch]:
            # Compare-and-set: without row locks (SQLite) another worker may have read the same
            # row; only the one whose update finds it unchanged sends it.
            if WebhookDelivery.objects.filter(
                pk=pk, status=WebhookDelivery.Status.PENDING, next_attempt_at=next_attempt_at
            ).update(next_attempt_at=claimed_until):
                claimed.append(pk)
    return list(
        WebhookDelivery.objects.filter(pk__in=claimed)
        .select_related("event", "endpoint")
        .order_by("event__created_at", "id")
    )


def release(deliveries):
    """Give claimed deliveries back unsent, due at once (a worker stopping mid-batch)."""
    now = timezone.now()
    for delivery in deliveries:
        WebhookDelivery.objects.filter(
            pk=delivery.pk,
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at=delivery.next_attempt_at,
        ).update(next_attempt_at=now)


# -- Sending ---------------------------------------------------------------------------------------


@dataclass
class Response:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self):
        return self.status_code is not None and 200 <= self.status_code < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new address: the signed body goes only where configured."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(url, body, headers, timeout):
    """POST ``body``; return the status code or the error, and how long it took."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    started = time.monotonic()
    status_code, error = None, ""
    try:
        with _opener.open(request, timeout=timeout) as answer:
            status_code = answer.status
    except urllib.error.HTTPError as answer:
        status_code = answer.code
        error = answer.read(_ERROR_LIMIT).decode("utf-8", "replace")
        answer.close()
    except (urllib.error.URLError, OSError, ValueError) as problem:
        error = str(getattr(problem, "reason", None) or problem) or type(problem).__name__
    duration_ms = round((time.monotonic() - started) * 1000)
    return Response(status_code, error[:_ERROR_LIMIT], duration_ms)


def retry_delay(attempts):
    """Seconds before the next attempt after ``attempts`` failed ones: doubling, capped."""
    delay = settings.WEBHOOK_RETRY_DELAY * 2 ** max(attempts - 1, 0)
    return min(delay, settings.WEBHOOK_RETRY_MAX_DELAY)


def renew_claim(delivery, now=None):
    """Extend this worker's claim on ``delivery`` right before sending it, so a batch that takes
    longer than one claim is still sent by one worker only. False (nothing changed) when the
    claim ran out and another worker has claimed the delivery since, or it is no longer pending.
    """
    now = now or timezone.now()
    claimed_until = now + timedelta(seconds=settings.WEBHOOK_CLAIM_SECONDS)
    renewed = WebhookDelivery.objects.filter(
        pk=delivery.pk,
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at=delivery.next_attempt_at,
    ).update(next_attempt_at=claimed_until)
    if renewed:
        delivery.next_attempt_at = claimed_until
    return bool(renewed)


def deliver(delivery):
    """Send one claimed delivery and record the attempt; returns the updated delivery.

    Returns None when this worker's claim ran out and another worker took the delivery over:
    then nothing is sent, or, if the claim ran out during the request, the attempt is logged but
    the other worker's claim and record of the delivery stand.
    """
    if not renew_claim(delivery):
        logger.info("Webhook delivery %s was taken over by another worker", delivery.pk)
        return None
    claimed_until = delivery.next_attempt_at
    body = event_body(delivery.event)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Webhook-Id": str(delivery.event_id),
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": sign(delivery.endpoint.secret, timestamp, body),
    }
    if not delivery.endpoint.active:
        response = Response(None, "The endpoint was deactivated.", 0)
    else:
        response = post(delivery.endpoint.url, body, headers, settings.WEBHOOK_TIMEOUT)
    now = timezone.now()
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery,
            at=now,
            status_code=response.status_code,
            duration_ms=response.duration_ms,
            error=response.error if not response.ok else "",
        )
        delivery.attempts += 1
        if response.ok:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = now
        elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS or not delivery.endpoint.active:
            delivery.status = WebhookDelivery.Status.FAILED
        else:
            delivery.next_attempt_at = now + timedelta(seconds=retry_delay(delivery.attempts))
        # Compare-and-set on the claim: the outcome is saved only while it is still this one's.
        saved = WebhookDelivery.objects.filter(
            pk=delivery.pk,
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at=claimed_until,
        ).update(
            attempts=delivery.attempts,
            status=delivery.status,
            delivered_at=delivery.delivered_at,
            next_attempt_at=delivery.next_attempt_at,
        )
    log = logger.info if response.ok else logger.warning
    log(
        "Webhook %s to %s: %s (attempt %d)",
        delivery.event.type,
        delivery.endpoint.url,
        response.status_code or response.error,
        delivery.attempts,
    )
    if not saved:
        logger.warning(
            "Webhook delivery %s: the claim ran out during the request; another worker has it",
            delivery.pk,
        )
        return None
    return delivery


@dataclass
class Round:
    """What one round of the worker did."""

    scheduled: int = 0
    dispatched: int = 0
    delivered: int = 0
    failed: int = 0  # attempts that did not succeed, including those to be retried


def run_once(stop=None, *, everything=False):
    """One round of the worker: scheduled events, fan-out, then every delivery due now.

    ``stop`` (a ``threading.Event``) ends the round between two deliveries; ``everything``
    compares every article with what was announced, not only those with a time that passed
    (see :func:`cms.events.emit_scheduled_events`).
    """
    result = Round(scheduled=len(events.emit_scheduled_events(everything=everything)))
    while dispatched := dispatch_events():
        result.dispatched += dispatched
    while not (stop and stop.is_set()):
        claimed = claim_due()
        if not claimed:
            break
        for position, delivery in enumerate(claimed):
            if stop and stop.is_set():
                release(claimed[position:])
                break
            delivered = deliver(delivery)
            if delivered is None:
                continue  # another worker took it over once this worker's claim ran out
            if delivered.status == WebhookDelivery.Status.DELIVERED:
                result.delivered += 1
            else:
                result.failed += 1
    return result


def retry_now(deliveries):
    """Make failed or waiting deliveries due at once, with a fresh set of attempts for failed
    ones; returns how many. Delivered ones stay as they are."""
    return deliveries.exclude(status=WebhookDelivery.Status.DELIVERED).update(
        status=WebhookDelivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )


def prune(now=None, batch=1000):
    """Delete events older than ``WEBHOOK_RETENTION_DAYS`` with nothing left to send, with their
    deliveries and attempts, so the outbox does not grow for ever. Returns how many events."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.WEBHOOK_RETENTION_DAYS)
    old = ChangeEvent.objects.filter(created_at__lt=cutoff, dispatched_at__isnull=False).exclude(
        deliveries__status=WebhookDelivery.Status.PENDING
    )
    removed = 0
    while ids := list(old.values_list("pk", flat=True)[:batch]):
        with transaction.atomic():
            DeliveryAttempt.objects.filter(delivery__event__in=ids).delete()
            WebhookDelivery.objects.filter(event__in=ids).delete()
            removed += ChangeEvent.objects.filter(pk__in=ids).delete()[0]
    return removed
