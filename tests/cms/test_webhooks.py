"""Webhook delivery: signed requests to a real receiver on 127.0.0.1, retries with backoff,
deliveries that survive a worker dying, and the admin pages that show them."""

import hashlib
import hmac
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article
from cms import webhooks
from cms.models import ChangeEvent, DeliveryAttempt, WebhookDelivery, WebhookEndpoint
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


class Receiver:
    """A frontend's webhook route: checks the signature as the README tells receivers to, and
    answers with the next scripted status (200 once the script runs out)."""

    def __init__(self, secret="whsec_test-secret"):  # noqa: S107
        self.secret = secret
        self.requests = []
        self.script = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                timestamp = self.headers["Webhook-Timestamp"]
                expected = hmac.new(
                    receiver.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
                ).hexdigest()
                signed = hmac.compare_digest(self.headers["Webhook-Signature"], f"v1={expected}")
                receiver.requests.append(
                    {"headers": dict(self.headers), "body": body, "signed": signed}
                )
                status = receiver.script.pop(0) if receiver.script else 200
                self.send_response(status if signed else 401)
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"receiver broke")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/revalidate"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def payloads(self):
        return [json.loads(request["body"]) for request in self.requests]


@pytest.fixture
def receiver():
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def endpoint(receiver):
    return WebhookEndpoint.objects.create(url=receiver.url, secret=receiver.secret)


def run_worker():
    out = StringIO()
    call_command("deliver_webhooks", "--once", stdout=out)
    return out.getvalue()


def test_a_published_article_reaches_the_receiver_signed(receiver, endpoint):
    section = SectionFactory()
    ChangeEvent.objects.all().delete()
    article = ArticleFactory(slug="signed-and-sent", section=section)
    event = ChangeEvent.objects.get(type="article.published")

    output = run_worker()

    [request] = receiver.requests
    assert request["signed"]
    assert request["headers"]["Webhook-Id"] == str(event.pk)
    assert request["headers"]["Content-Type"] == "application/json"
    assert webhooks.verify(receiver.secret, request["headers"], request["body"])
    assert not webhooks.verify("whsec_another-secret", request["headers"], request["body"])
    [payload] = receiver.payloads()
    assert payload == event.payload
    assert payload["type"] == "article.published"
    assert payload["data"]["articles"][0]["slug"] == "signed-and-sent"
    assert f"article:{article.pk}" in payload["data"]["cache_tags"]
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.attempts == 1
    [attempt] = delivery.attempt_log.all()
    assert attempt.status_code == 200 and attempt.error == ""
    assert "1 delivered" in output

    assert run_worker() == ""  # nothing twice
    assert len(receiver.requests) == 1


def test_a_stale_or_tampered_request_does_not_verify(receiver):
    body = b'{"type":"article.updated"}'
    now = 1_800_000_000
    headers = {"Webhook-Timestamp": str(now), "Webhook-Signature": webhooks.sign("s", now, body)}

    assert webhooks.verify("s", headers, body, now=now + 10)
    assert not webhooks.verify("s", headers, body + b" ", now=now + 10)
    assert not webhooks.verify("s", headers, body, now=now + 3600)  # a replay, an hour later
    forged = {**headers, "Webhook-Signature": headers["Webhook-Signature"][:-1] + "é"}
    assert not webhooks.verify("s", forged, body, now=now + 10)  # refused, not an exception


def _readme_block(language, containing):
    """The README's fenced ``language`` block that contains ``containing``."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    blocks = re.findall(rf"```{language}\n(.*?)```", readme, re.DOTALL)
    [block] = [block for block in blocks if containing in block]
    return block


def test_the_readmes_python_receiver_refuses_a_forged_signature_without_an_exception():
    namespace = {}
    exec(_readme_block("python", "def verify("), namespace)  # noqa: S102
    verify, body, now = namespace["verify"], b'{"type":"article.updated"}', int(time.time())
    headers = {"Webhook-Timestamp": str(now), "Webhook-Signature": webhooks.sign("s", now, body)}

    assert verify("s", headers, body)
    assert not verify("s", {**headers, "Webhook-Signature": "v1=" + "0" * 64}, body)
    forged = headers["Webhook-Signature"][:-1] + "é"  # as many characters, one more byte
    assert not verify("s", {**headers, "Webhook-Signature": forged}, body)
    assert not verify("s", {**headers, "Webhook-Timestamp": "²"}, body)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed.")
def test_the_readmes_javascript_receiver_refuses_a_forged_signature_without_an_exception():
    """The signature check of the README's Next.js route, run by Node on the same inputs."""
    route = _readme_block("ts", "timingSafeEqual")
    check = route[route.index("  const expected =") : route.index("  if (!fresh || !valid)")]
    check = check.replace("process.env.CMS_WEBHOOK_SECRET!", "process.env.CMS_WEBHOOK_SECRET")
    script = (
        'const { createHmac, timingSafeEqual } = require("node:crypto");\n'
        "const [body, timestamp, ...signatures] = JSON.parse(process.argv[1]);\n"
        "for (const signature of signatures) {\n"
        f"{check}"
        "  console.log(fresh && valid);\n"
        "}\n"
    )
    body, now = '{"type":"article.updated"}', int(time.time())
    good = webhooks.sign("whsec_s", now, body.encode())
    inputs = [body, str(now), good, "v1=" + "0" * 64, good[:-1] + "é"]
    result = subprocess.run(  # noqa: S603
        [shutil.which("node"), "-e", script, json.dumps(inputs)],
        capture_output=True,
        text=True,
        env={**os.environ, "CMS_WEBHOOK_SECRET": "whsec_s"},
        timeout=30,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["true", "false", "false"]


def test_drafts_send_nothing(receiver, endpoint):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    ChangeEvent.objects.exclude(type__startswith="article.").delete()
    article.title = "Still a secret"
    article.save()

    run_worker()

    assert receiver.requests == []


def test_endpoints_get_only_the_events_they_subscribe_to(receiver):
    section = SectionFactory()
    WebhookEndpoint.objects.create(url=receiver.url, secret=receiver.secret,
                                   event_types=["article.deleted"])  # fmt: skip
    WebhookEndpoint.objects.create(url=receiver.url, secret=receiver.secret, active=False)
    article = ArticleFactory(section=section)
    run_worker()
    assert receiver.requests == []

    article.delete()
    run_worker()

    assert [payload["type"] for payload in receiver.payloads()] == ["article.deleted"]


def test_a_failed_attempt_is_retried_with_backoff_until_it_succeeds(receiver, endpoint, settings):
    settings.WEBHOOK_RETRY_DELAY = 60
    receiver.script = [500, 503]
    start = timezone.now()
    ArticleFactory(section=SectionFactory())
    ChangeEvent.objects.exclude(type="article.published").delete()

    with time_machine.travel(start, tick=False):
        assert "0 delivered, 1 failed" in run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING and delivery.attempts == 1
    assert delivery.next_attempt_at == start + timedelta(seconds=60)

    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        run_worker()  # not due yet
    assert len(receiver.requests) == 1

    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        run_worker()
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at == start + timedelta(seconds=61 + 120)  # doubled

    with time_machine.travel(start + timedelta(seconds=200), tick=False):
        run_worker()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.attempts == 3
    attempts = list(delivery.attempt_log.order_by("at"))
    assert [a.status_code for a in attempts] == [500, 503, 200]
    assert attempts[0].error == "receiver broke"
    assert all(r["signed"] for r in receiver.requests)
    # Every attempt is the same event: the receiver can drop repeats by Webhook-Id.
    assert len({r["headers"]["Webhook-Id"] for r in receiver.requests}) == 1


def test_a_delivery_gives_up_after_the_last_attempt(receiver, endpoint, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    settings.WEBHOOK_RETRY_DELAY = 1
    receiver.script = [500, 500, 500]
    start = timezone.now()
    ArticleFactory(section=SectionFactory())
    ChangeEvent.objects.exclude(type="article.published").delete()

    with time_machine.travel(start, tick=False):
        run_worker()
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        run_worker()
    with time_machine.travel(start + timedelta(hours=5), tick=False):
        run_worker()

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED and delivery.attempts == 2
    assert len(receiver.requests) == 2


def test_an_unreachable_endpoint_is_an_attempt_with_the_error(settings):
    settings.WEBHOOK_TIMEOUT = 2
    WebhookEndpoint.objects.create(url="http://127.0.0.1:9/nothing-listens-here")
    ArticleFactory(section=SectionFactory())
    ChangeEvent.objects.exclude(type="article.published").delete()

    run_worker()

    attempt = DeliveryAttempt.objects.get()
    assert attempt.status_code is None and attempt.error
    assert attempt.delivery.status == WebhookDelivery.Status.PENDING


def test_a_delivery_survives_a_worker_dying_between_claim_and_send(receiver, endpoint, settings):
    settings.WEBHOOK_CLAIM_SECONDS = 120
    start = timezone.now()
    ArticleFactory(section=SectionFactory())
    ChangeEvent.objects.exclude(type="article.published").delete()

    with time_machine.travel(start, tick=False):
        webhooks.dispatch_events()
        [claimed] = webhooks.claim_due()  # ...and the worker is killed here, before sending
        assert webhooks.claim_due() == []  # a second worker does not take it meanwhile
        run_worker()
    assert receiver.requests == []

    with time_machine.travel(start + timedelta(seconds=121), tick=False):
        run_worker()  # the restarted worker, once the claim has run out

    assert len(receiver.requests) == 1
    claimed.refresh_from_db()
    assert claimed.status == WebhookDelivery.Status.DELIVERED


def test_an_event_committed_before_the_worker_started_is_delivered(receiver, endpoint):
    """The outbox row is all the worker needs: no in-process queue to lose."""
    article = ArticleFactory(section=SectionFactory())
    ChangeEvent.objects.exclude(type="article.published").delete()
    services.unpublish_article(article)

    run_worker()

    assert [p["type"] for p in receiver.payloads()] == ["article.published", "article.unpublished"]


def test_a_scheduled_article_is_sent_once_when_its_time_comes(receiver, endpoint):
    start = timezone.now()
    section = SectionFactory()
    ChangeEvent.objects.all().delete()
    ArticleFactory(slug="at-noon", section=section, published_at=start + timedelta(hours=1))

    run_worker()
    assert receiver.requests == []
    with time_machine.travel(start + timedelta(hours=1, minutes=1)):
        run_worker()
        run_worker()

    [payload] = receiver.payloads()
    assert payload["type"] == "article.published"
    assert payload["data"]["articles"][0]["slug"] == "at-noon"


def test_the_worker_stops_on_sigterm():
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    out = StringIO()

    call_command("deliver_webhooks", "--interval", "0.05", stdout=out)

    timer.join()
    assert "Stopped." in out.getvalue()
    assert signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, signal.default_int_handler, None)


def test_admin_pages_render(admin_client, receiver, endpoint):
    receiver.script = [500]
    ArticleFactory(section=SectionFactory())
    ChangeEvent.objects.exclude(type="article.published").delete()
    run_worker()
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    attempt = delivery.attempt_log.get()

    for name, args in [
        ("webhookendpoint_changelist", []),
        ("webhookendpoint_add", []),
        ("webhookendpoint_change", [endpoint.pk]),
        ("changeevent_changelist", []),
        ("changeevent_change", [delivery.event_id]),
        ("webhookdelivery_changelist", []),
        ("webhookdelivery_change", [delivery.pk]),
        ("deliveryattempt_changelist", []),
        ("deliveryattempt_change", [attempt.pk]),
    ]:
        response = admin_client.get(reverse(f"admin:cms_{name}", args=args))
        assert response.status_code == 200, name
    page = admin_client.get(reverse("admin:cms_webhookendpoint_change", args=[endpoint.pk]))
    assert endpoint.secret in page.content.decode()  # readable by admins
    events_page = admin_client.get(
        reverse("admin:cms_changeevent_change", args=[delivery.event_id])
    )
    assert "cache_tags" in events_page.content.decode()


def test_an_endpoint_is_added_in_the_admin_with_a_generated_secret(admin_client):
    response = admin_client.post(
        reverse("admin:cms_webhookendpoint_add"),
        {
            "url": "https://frontend.example.org/api/revalidate",
            "description": "Next.js site",
            "event_types": ["article.published", "article.updated"],
            "active": "on",
        },
    )

    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.event_types == ["article.published", "article.updated"]
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 40


def test_an_endpoint_without_events_or_with_a_bad_url_is_refused(admin_client):
    response = admin_client.post(
        reverse("admin:cms_webhookendpoint_add"),
        {"url": "not a url", "event_types": [], "active": "on"},
    )

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"url", "event_types"}
    assert not WebhookEndpoint.objects.exists()


def test_the_admin_can_send_a_failed_delivery_again(admin_client, receiver, endpoint, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.script = [500]
    ArticleFactory(section=SectionFactory())
    ChangeEvent.objects.exclude(type="article.published").delete()
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED

    admin_client.post(
        reverse("admin:cms_webhookdelivery_changelist"),
        {"action": "retry_now", "_selected_action": [delivery.pk]},
    )
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED


def _in_threads(function, count=2):
    """Run ``function`` in ``count`` threads at once, each with its own database connection."""
    from django.db import connections

    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(function())
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


needs_row_locks = pytest.mark.skipif(
    "not __import__('django.db').db.connection.features.has_select_for_update_skip_locked",
    reason="Parallel workers need row locks (PostgreSQL); SQLite runs one writer at a time.",
)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_claim_the_same_delivery():
    endpoint = WebhookEndpoint.objects.create(url="http://127.0.0.1:9/")
    section = SectionFactory()
    for _ in range(30):
        ArticleFactory(section=section)
    webhooks.dispatch_events()
    assert WebhookDelivery.objects.count() >= 30

    first, second = _in_threads(lambda: {d.pk for d in webhooks.claim_due(batch=100)})

    assert not first & second
    assert first | second == set(
        WebhookDelivery.objects.filter(endpoint=endpoint).values_list("pk", flat=True)
    )


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_workers_announce_a_scheduled_article_once():
    from cms.events import emit_scheduled_events

    start = timezone.now()
    ArticleFactory(section=SectionFactory(), published_at=start + timedelta(minutes=1))
    ChangeEvent.objects.all().delete()

    with time_machine.travel(start + timedelta(minutes=2)):
        results = _in_threads(emit_scheduled_events)

    assert sorted(len(written) for written in results) == [0, 1]
    assert list(ChangeEvent.objects.values_list("type", flat=True)) == ["article.published"]


def test_only_those_who_configure_endpoints_see_the_secret(client, django_user_model, endpoint):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_webhookendpoint"))
    client.force_login(viewer)

    page = client.get(reverse("admin:cms_webhookendpoint_change", args=[endpoint.pk]))

    assert page.status_code == 200
    assert endpoint.url in page.content.decode()
    assert endpoint.secret not in page.content.decode()


def test_only_http_and_https_endpoints_are_accepted(admin_client):
    response = admin_client.post(
        reverse("admin:cms_webhookendpoint_add"),
        {"url": "ftp://files.example.org/hook", "event_types": ["article.updated"]},
    )

    assert response.status_code == 200
    assert "url" in response.context["adminform"].form.errors
    assert not WebhookEndpoint.objects.exists()


def test_old_events_with_nothing_left_to_send_are_pruned(receiver, endpoint, settings):
    settings.WEBHOOK_RETENTION_DAYS = 30
    start = timezone.now()
    section = SectionFactory()
    ChangeEvent.objects.all().delete()
    with time_machine.travel(start - timedelta(days=40), tick=False):
        sent = ArticleFactory(section=section)
        run_worker()
        receiver.script = [500]
        waiting = ArticleFactory(section=section)
        run_worker()
    recent = ArticleFactory(section=section)
    receiver.script = [500]  # the old pending one fails again: kept until it is done
    assert DeliveryAttempt.objects.count() == 2

    run_worker()  # the worker prunes on its first round, then hourly

    remaining = {e.payload["data"]["articles"][0]["pk"] for e in ChangeEvent.objects.all()}
    assert remaining == {waiting.pk, recent.pk}
    assert sent.pk not in remaining
    assert DeliveryAttempt.objects.filter(delivery__event__created_at__lt=start).count() == 2
    assert webhooks.prune() == 0


def test_a_batch_longer_than_its_claim_is_not_sent_twice(receiver, endpoint, settings):
    """Worker A claims a batch and sends it one by one; when slow answers let the claim of the
    rest run out, worker B claims those, and A skips them instead of sending them again."""
    settings.WEBHOOK_TIMEOUT = 10
    settings.WEBHOOK_CLAIM_SECONDS = 120
    section = SectionFactory()
    for _ in range(20):
        ArticleFactory(section=section)
    ChangeEvent.objects.exclude(type="article.published").delete()
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        webhooks.dispatch_events()
        batch_a = webhooks.claim_due()
        assert len(batch_a) == 20
        for delivery in batch_a[:13]:  # each renews its claim as it goes
            assert webhooks.deliver(delivery).status == WebhookDelivery.Status.DELIVERED
    # Thirteen answers arrived only just before the timeout: the rest's claim has run out.
    with time_machine.travel(start + timedelta(seconds=13 * 10), tick=False):
        batch_b = webhooks.claim_due()
        assert {d.pk for d in batch_b} == {d.pk for d in batch_a[13:]}
        assert [webhooks.deliver(delivery) for delivery in batch_a[13:]] == [None] * 7
        assert len(receiver.requests) == 13
        for delivery in batch_b:
            assert webhooks.deliver(delivery).status == WebhookDelivery.Status.DELIVERED

    assert len(receiver.requests) == 20
    assert len({r["headers"]["Webhook-Id"] for r in receiver.requests}) == 20
    assert DeliveryAttempt.objects.count() == 20
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {
        (WebhookDelivery.Status.DELIVERED, 1)
    }


def test_an_answer_after_the_claim_ran_out_leaves_the_new_claim_alone(
    receiver, endpoint, settings, monkeypatch
):
    """A request that outlasts the claim: another worker claimed the delivery meanwhile, so the
    late outcome is logged as an attempt but does not overwrite that worker's claim."""
    settings.WEBHOOK_CLAIM_SECONDS = 120
    ArticleFactory(section=SectionFactory())
    ChangeEvent.objects.exclude(type="article.published").delete()
    webhooks.dispatch_events()
    [delivery] = webhooks.claim_due()
    taken_over = []
    send = webhooks.post

    def slow_post(*args, **kwargs):
        later = timezone.now() + timedelta(seconds=121)
        taken_over.extend(webhooks.claim_due(now=later))  # worker B, while A waits
        return send(*args, **kwargs)

    monkeypatch.setattr(webhooks, "post", slow_post)

    assert webhooks.deliver(delivery) is None

    [other] = taken_over
    stored = WebhookDelivery.objects.get()
    assert stored.status == WebhookDelivery.Status.PENDING and stored.attempts == 0
    assert stored.next_attempt_at == other.next_attempt_at  # B's claim stands
    assert DeliveryAttempt.objects.get().status_code == 200  # A's request is on record
    monkeypatch.setattr(webhooks, "post", send)
    assert webhooks.deliver(other).status == WebhookDelivery.Status.DELIVERED
    stored.refresh_from_db()
    assert stored.status == WebhookDelivery.Status.DELIVERED and stored.attempts == 1
