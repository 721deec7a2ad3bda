"""The example site (examples/site) on the CMS: demo content on the front page and article
pages with every photo credited, drafts only through the admin's preview, and a publication
reaching the cached front page through the signed change webhook.

Needs the site built (`make test` runs `npm ci` and `npm run build` in examples/site when npm is
installed). Without a build the test skips, and fails in CI. `.ci/run` runs it once, on its
first (SQLite) pass: SITE_E2E=0 skips it on the PostgreSQL pass.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article
from cms.models import WebhookDelivery
from tests.browser.conftest import LOOPBACK, open_watched_page

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("SITE_E2E") == "0", reason="SITE_E2E=0: the site's e2e test runs once"
    ),
]

SITE_DIR = Path(settings.BASE_DIR) / "examples" / "site"
MANIFEST = SITE_DIR / "src" / "gql" / "persisted-documents.json"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
SECRET = "whsec_e2e-test-secret-for-the-example-site"
PASSWORD = "correct horse battery staple"
DRAFT = "second-harbour-bridge-what-we-know"


def free_port():
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site_build():
    if (SITE_DIR / ".next" / "BUILD_ID").is_file() and MANIFEST.is_file():
        return SITE_DIR
    reason = "The example site is not built: cd examples/site && npm ci && npm run build"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def site(site_build, live_server, settings):
    """`next start` on a free loopback port, reading the live CMS; the CMS's frontend URLs
    (preview links, webhook paths) point at it."""
    port = free_port()
    url = f"http://{LOOPBACK}:{port}"
    settings.FRONTEND_URL = url
    settings.PREVIEW_URL = url + "/api/preview?slug={slug}&token={token}"
    # Cached CMS answers from an earlier run must not stand in for this database's.
    shutil.rmtree(site_build / ".next" / "cache" / "fetch-cache", ignore_errors=True)
    env = {
        **os.environ,
        "CMS_URL": live_server.url,
        "CMS_WEBHOOK_SECRET": SECRET,
        "NEXT_TELEMETRY_DISABLED": "1",
        "NODE_ENV": "production",
    }
    next_bin = str(site_build / "node_modules" / ".bin" / "next")
    log_path = Path(settings.BASE_DIR) / "var" / "site-e2e.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("w")
    process = subprocess.Popen(  # noqa: S603 (our own build's server)
        [next_bin, "start", "-H", LOOPBACK, "-p", str(port)],
        cwd=site_build,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection((LOOPBACK, port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    message = "next start did not come up: " + log_path.read_text()
                    raise RuntimeError(message) from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


RENDITION_URL = re.compile(r"http://127\.0\.0\.1:\d+/images/[^\s\"',]+")


def warm_renditions(url):
    """Request the page's photos one at a time before the browser asks for them all at once.

    The CMS makes a rendition on its first request and records it; the test server's SQLite
    database is in memory, shared between threads, where concurrent writes fail at once
    ("database table is locked") instead of waiting as they do in a database file or PostgreSQL.
    """
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (127.0.0.1)
        html = response.read().decode()
    for rendition in sorted(set(RENDITION_URL.findall(html))):
        status_of(rendition)


ADMIN_RENDITION = re.compile(r'src="(/images/[^"]+)"')


def warm_admin_renditions(page, base, path):
    """The same for an admin page's thumbnails, fetched with the browser's login."""
    html = page.request.get(base + path).text()
    for rendition in sorted(set(ADMIN_RENDITION.findall(html))):
        status_of(base + rendition)


def status_of(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (127.0.0.1)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_site_shows_demo_content_previews_drafts_and_updates_on_publication(
    live_server, site, browser
):
    call_command("demo", verbosity=0)
    call_command("register_queries", str(MANIFEST), client="site", verbosity=0)
    call_command("webhook_endpoint", f"{site}/api/revalidate/", secret=SECRET, verbosity=0)
    # The demo's own publications go out first, as they would in `make site`.
    call_command("deliver_webhooks", once=True, verbosity=0)
    User.objects.create_superuser("desk", password=PASSWORD)
    public = list(Article.objects.public().order_by("-published_at")[:13])
    draft = Article.objects.get(slug=DRAFT)
    assert draft.status == Article.Status.DRAFT

    watched = open_watched_page(browser, 30_000, viewport={"width": 1280, "height": 4000})
    page = watched.page
    all_images_loaded = (
        "() => [...document.querySelectorAll('main img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )

    # The front page: the latest public articles, each with its lead photo, loaded.
    warm_renditions(site + "/")
    page.goto(site + "/")
    for article in public:
        expect(page.get_by_role("link", name=article.title, exact=True)).to_have_count(1)
    expect(page.get_by_text(draft.title)).to_have_count(0)
    with_photos = [article for article in public if article.lead_image_id]
    assert with_photos
    expect(page.locator("main .card picture img")).to_have_count(len(with_photos))
    page.wait_for_function(all_images_loaded)
    first = page.locator("main .card picture img").first
    assert first.get_attribute("width") and first.get_attribute("height")
    assert page.locator("main .card picture source").count() >= len(with_photos)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "site-front-page.png", full_page=True)

    # An article with inline photos: every photo's credit line, the author box, JSON-LD.
    article = (
        Article.objects.public()
        .filter(inline_images__isnull=False, lead_image__isnull=False)
        .distinct()
        .first()
    )
    assert article is not None
    warm_renditions(site + article.path)
    page.goto(site + article.path)
    expect(page.locator("h1")).to_have_text(article.title)
    photos = [article.lead_image, *(use.image for use in article.inline_images.all())]
    figures = page.locator("main figure.figure")
    expect(figures).to_have_count(len(photos))
    for photo in photos:
        credit = page.locator("main figure .credit", has_text=photo.credit.text)
        expect(credit.first).to_be_visible()
    for byline in article.bylines.select_related("author"):
        box = page.locator(".author-box", has_text=byline.author.name)
        expect(box.first).to_be_visible()
        expect(box.first).to_contain_text(byline.author.bio[:40])
    ld = page.locator('head script[type="application/ld+json"]')
    expect(ld).to_have_count(1)
    assert json.loads(ld.text_content())["@type"] == "NewsArticle"
    page.wait_for_function(all_images_loaded)
    page.screenshot(path=SCREENSHOTS / "site-article.png", full_page=True)

    # A section page, four articles a page, and the next page by cursor.
    section = article.section
    in_section = list(Article.objects.public().filter(section=section).order_by("-published_at"))
    assert len(in_section) > 4
    warm_renditions(f"{site}/sections/{section.slug}/")
    page.goto(f"{site}/sections/{section.slug}/")
    expect(page.locator("h1")).to_have_text(section.name)
    expect(page.locator("main .card")).to_have_count(4)
    warm_renditions(site + page.locator("a[rel=next]").get_attribute("href"))
    page.click("a[rel=next]")
    expect(page.locator("main .card")).to_have_count(min(len(in_section) - 4, 4))
    expect(page.get_by_role("link", name=in_section[4].title, exact=True)).to_have_count(1)

    # Search.
    warm_renditions(f"{site}/search/?q={article.title.split()[0]}")
    page.goto(f"{site}/search/?q={article.title.split()[0]}")
    expect(page.get_by_role("link", name=article.title, exact=True)).to_have_count(1)

    # The draft: not on the public site; through the admin's Preview link, marked, uncached.
    assert status_of(f"{site}/articles/{DRAFT}/") == 404
    page.goto(f"{live_server.url}/admin/login/?next=/admin/articles/article/{draft.pk}/change/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    preview_href = page.locator("a.preview-link").first.get_attribute("href")
    assert preview_href.startswith(site + "/api/preview")
    warm_renditions(preview_href)
    response = page.goto(preview_href)
    assert urlsplit(page.url).path == f"/preview/{DRAFT}/"
    assert "no-store" in response.headers["cache-control"]
    expect(page.locator(".preview-banner")).to_contain_text("Preview")
    expect(page.locator("h1")).to_have_text(draft.title)

    # Publishing in the admin (the article list's bulk action): the cached front page changes
    # once the worker has delivered the webhook.
    page.goto(site + "/")
    expect(page.get_by_role("link", name=draft.title, exact=True)).to_have_count(0)
    already_sent = set(WebhookDelivery.objects.values_list("pk", flat=True))
    warm_admin_renditions(page, live_server.url, "/admin/articles/article/")
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.check(f'input[name="_selected_action"][value="{draft.pk}"]')
    page.select_option('select[name="action"]', "publish")
    page.click('button[name="index"]')
    expect(page.locator(".messagelist")).to_contain_text("1 article published")
    page.goto(site + "/")
    expect(page.get_by_role("link", name=draft.title, exact=True)).to_have_count(0)
    call_command("deliver_webhooks", once=True, verbosity=0)
    warm_renditions(site + "/")
    sent = WebhookDelivery.objects.exclude(pk__in=already_sent).select_related("event")
    assert [(d.event.type, d.status) for d in sent] == [
        ("article.published", WebhookDelivery.Status.DELIVERED)
    ]
    assert sent[0].event.payload["data"]["articles"][0]["slug"] == DRAFT
    page.reload()
    expect(page.get_by_role("link", name=draft.title, exact=True)).to_have_count(1)
    assert status_of(f"{site}/articles/{DRAFT}/") == 200

    watched.assert_clean()
    watched.context.close()
