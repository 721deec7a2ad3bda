"""Browser tests: Playwright's sync API drives Debian's chromium against a live server.

The browser is the system's chromium (``apt-get install chromium``; ``make test`` installs it
when missing), never a browser downloaded by Playwright. Outside CI a machine without it skips
these tests and says why; in CI (``CI`` set) a missing chromium is a failure.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK = "127.0.0.1"

# The live server listens on the loopback address itself, so "nothing left 127.0.0.1" is exact.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", LOOPBACK)


@pytest.fixture(scope="module", autouse=True)
def allow_orm_beside_playwright():
    """Playwright's sync API keeps an asyncio loop running in this thread, which Django's
    async-safety check takes for async code; the test's own ORM calls are synchronous."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def chromium_path():
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return str(CHROMIUM)
    reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium, or make test)."
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(chromium_path, allow_orm_beside_playwright):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class WatchedPage:
    """A page whose requests may not leave 127.0.0.1 and whose console errors are kept."""

    context: object
    page: object
    left_the_machine: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)

    def assert_clean(self):
        assert not self.console_errors, self.console_errors
        assert not self.left_the_machine, self.left_the_machine


def open_watched_page(browser, timeout_ms, **context_options):
    """A new browser context and page that refuse (and record) any request off the loopback
    address, and record console errors and uncaught page errors."""
    context = browser.new_context(**context_options)
    watched = WatchedPage(context=context, page=None)

    def only_loopback(route):
        url = route.request.url
        if urlsplit(url).hostname == LOOPBACK or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            watched.left_the_machine.append(url)
            route.abort()

    def on_console(message):
        # Browsers ask every site for /favicon.ico; the admin has none, and that is no error.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            watched.console_errors.append(f"{message.text} ({message.location['url']})")

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.console_errors.append(str(error)))
    watched.page = page
    return watched
