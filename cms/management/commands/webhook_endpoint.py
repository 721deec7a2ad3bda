"""``manage.py webhook_endpoint URL --secret S``: make sure an active endpoint at URL receives
every change event, signed with S. For scripted set-ups (``make site``, a frontend's
development environment); in production, configure endpoints in the admin, which generates the
secret. Running it again updates the same endpoint.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from cms.models import WebhookEndpoint, all_event_types


class Command(BaseCommand):
    help = "Create or update an active webhook endpoint for URL, subscribed to every event."

    def add_arguments(self, parser):
        parser.add_argument("url", help="Where change events are POSTed.")
        parser.add_argument(
            "--secret",
            required=True,
            help="The signing secret the receiver checks (at least 16 characters).",
        )
        parser.add_argument("--description", default="", help="Shown in the admin.")

    def handle(self, *args, url, secret, description, **options):
        if len(secret) < 16:
            raise CommandError("The secret must be at least 16 characters long.")
        endpoint = WebhookEndpoint.objects.filter(url=url).order_by("id").first()
        created = endpoint is None
        endpoint = endpoint or WebhookEndpoint(url=url)
        endpoint.secret = secret
        endpoint.event_types = all_event_types()
        endpoint.active = True
        endpoint.description = description or endpoint.description
        try:
            URLValidator(schemes=["http", "https"], message="Enter an http(s) URL.")(url)
            endpoint.full_clean()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        endpoint.save()
        state = "created" if created else "updated"
        self.stdout.write(self.style.SUCCESS(f"Webhook endpoint {url} {state}."))
