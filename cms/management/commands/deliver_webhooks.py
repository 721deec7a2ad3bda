"""``manage.py deliver_webhooks``: the worker that sends change events to webhook endpoints.

Runs until SIGTERM or SIGINT (finishing the request in flight, giving back what it claimed and
did not send), or with ``--once`` until nothing is due. Several workers may run at once. See
:mod:`cms.webhooks` for what one round does.
"""

import signal
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from cms import webhooks

#: Seconds between two prunings of old events by one worker.
PRUNE_EVERY = 60 * 60


class Command(BaseCommand):
    help = (
        "Send change events to the webhook endpoints: scheduled publications, new events, "
        "retries. Loops until stopped (SIGTERM/SIGINT), or --once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Do what is due now, then exit.")
        parser.add_argument(
            "--reconcile",
            action="store_true",
            help=(
                "First compare every article with what events have announced, and announce the "
                "differences (after QuerySet.update() or a restore; not after a bulk import "
                "whose articles should stay unannounced)."
            ),
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Seconds between rounds (default: WEBHOOK_POLL_INTERVAL).",
        )

    def handle(self, *args, once=False, interval=None, reconcile=False, **options):
        interval = settings.WEBHOOK_POLL_INTERVAL if interval is None else interval
        stop = threading.Event()
        previous = {}
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                previous[signum] = signal.signal(signum, lambda *_args: stop.set())
        next_prune = 0.0
        try:
            while not stop.is_set():
                if not connection.in_atomic_block:  # (a caller's transaction stays open)
                    close_old_connections()  # a lost database connection is reopened
                result = webhooks.run_once(stop, everything=reconcile)
                reconcile = False
                if time.monotonic() >= next_prune:
                    webhooks.prune()
                    next_prune = time.monotonic() + PRUNE_EVERY
                if result.dispatched or result.delivered or result.failed or result.scheduled:
                    self.stdout.write(
                        f"{result.scheduled} scheduled events, {result.dispatched} events "
                        f"queued, {result.delivered} delivered, {result.failed} failed attempts"
                    )
                if once:
                    break
                stop.wait(interval)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if stop.is_set():
            self.stdout.write("Stopped.")
