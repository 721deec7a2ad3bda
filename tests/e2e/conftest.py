"""End-to-end tests: the CMS (a live server on 127.0.0.1) with the example site in
examples/site built and started with `next start`, driven by Debian's chromium.

The browser helpers (the chromium fixtures and launch arguments) are those of tests/browser.
"""

from tests.browser.conftest import (  # noqa: F401 (fixtures used by the tests here)
    allow_orm_beside_playwright,
    browser,
    chromium_path,
)
