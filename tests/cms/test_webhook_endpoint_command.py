"""`manage.py webhook_endpoint`: a scripted, repeatable set-up of one signed endpoint."""

import pytest
from django.core.management import CommandError, call_command

from cms.models import WebhookEndpoint, all_event_types

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:3000/api/revalidate/"


def test_creates_then_updates_one_active_endpoint_for_every_event():
    call_command("webhook_endpoint", URL, secret="whsec_first-secret-value", verbosity=0)
    endpoint = WebhookEndpoint.objects.get()
    endpoint.active = False
    endpoint.event_types = ["article.published"]
    endpoint.save()

    call_command("webhook_endpoint", URL, secret="whsec_second-secret-value", verbosity=0)

    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.url == URL
    assert endpoint.secret == "whsec_second-secret-value"
    assert endpoint.active
    assert endpoint.event_types == all_event_types()


@pytest.mark.parametrize(
    ("url", "secret", "message"),
    [
        (URL, "short", "at least 16 characters"),
        ("ftp://127.0.0.1/hook", "whsec_long-enough-secret", "URL"),
    ],
)
def test_refuses_a_short_secret_or_a_bad_url_and_saves_nothing(url, secret, message):
    with pytest.raises(CommandError, match=message):
        call_command("webhook_endpoint", url, secret=secret, verbosity=0)
    assert not WebhookEndpoint.objects.exists()
