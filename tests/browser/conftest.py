"""Browser tests: Playwright's sync API drives Debian's chromium against a live server.

The browser is the system's chromium (``apt-get install chromium``; ``make test`` installs it
when missing), never a browser downloaded by Playwright. Outside CI a machine without it skips
these tests and says why; in CI (``CI`` set) a missing chromium is a failure.
"""

import os
from pathlib import Path

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
