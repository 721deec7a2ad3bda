"""An editor writes an article with an inline library photo in the admin's rich-text editor,
previews it, publishes it, and a frontend then reads the photo and its credit through GraphQL.
"""

import json
import re
import urllib.request
from datetime import timedelta
from importlib import import_module
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import LOOPBACK, open_watched_page
from tests.factories import ImageCreditFactory, ImageFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"
SCREENSHOT = Path(settings.BASE_DIR) / "var" / "screenshots" / "editor-inline-photo.png"
GRAPHQL_OUTPUT = SCREENSHOT.with_name("editor-inline-photo-graphql.json")

ARTICLE_QUERY = """
query Article($slug: String!, $previewToken: String) {
  article(slug: $slug, previewToken: $previewToken) {
    title
    body {
      __typename
      ... on ParagraphBlock { html }
      ... on HeadingBlock { level text }
      ... on ListBlock { ordered items }
      ... on ImageBlock {
        caption
        image { altText credit { text } rendition(width: 640) { url width height } }
      }
    }
    bodyHtml
  }
}
"""


def editors_group():
    """The "Editors" group as its migration makes it (a transactional test may have flushed it:
    permissions come back after a flush, groups made by data migrations do not)."""
    groups = import_module("articles.migrations.0003_newsroom_groups").GROUPS
    group, created = Group.objects.get_or_create(name="Editors")
    if created:
        for name in groups["Editors"]:
            app_label, codename = name.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return group


def graphql(base_url, query, **variables):
    """POST a query as an anonymous frontend would: no cookie, no session."""
    request = urllib.request.Request(  # noqa: S310 (the live server's http URL)
        f"{base_url}/graphql/",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our live server)
        return json.loads(response.read())


def assert_saved(page):
    """The admin took the form: no error note, and the message says it was saved."""
    problems = page.locator(".errornote, .errorlist").all_inner_texts()
    assert not problems, problems
    expect(page.locator(".messagelist .success")).to_have_count(1)


def test_editor_writes_previews_and_publishes_an_article_with_an_inline_photo(live_server, browser):
    assert urlsplit(live_server.url).hostname == LOOPBACK
    user = User.objects.create_user("desk", password=PASSWORD, is_staff=True)
    user.groups.add(editors_group())
    ImageFactory(title="Council chamber", credit=ImageCreditFactory(text="Handout"))
    photo = ImageFactory(
        title="Flooded ring road",
        alt_text="Water covers the ring road under a grey sky",
        caption="The ring road, flooded",
        credit=ImageCreditFactory(text="Reuters"),
    )

    watched = open_watched_page(
        browser, 15_000, base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = watched.page

    # Log in as an editor and open a new article.
    page.goto("/admin/login/?next=/admin/articles/article/add/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/articles/article/add/")
    page.fill("#id_title", "Floods close the ring road")
    page.fill("#id_standfirst", "Commuters face delays after a night of rain.")

    expect(page.locator("#id_slug")).to_have_value("floods-close-the-ring-road")

    # Write in the editor: a paragraph, a heading and a list (Markdown-style shortcuts), bold.
    editor = page.locator(".prose-editor .ProseMirror[contenteditable]")
    editor.click()
    page.keyboard.type("Water rose overnight across the ")
    page.keyboard.press("Control+b")
    page.keyboard.type("eastern")
    page.keyboard.press("Control+b")
    page.keyboard.type(" districts.")
    page.keyboard.press("Enter")
    page.keyboard.type("## Reaction")
    page.keyboard.press("Enter")
    page.keyboard.type("- Roads closed")
    page.keyboard.press("Enter")
    page.keyboard.type("Schools shut")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")

    # Insert the photo with the chooser: search the library, pick it, caption it.
    page.click(".prose-menubar button[data-name=libraryImage]")
    chooser = page.locator("dialog.newsroom-chooser")
    expect(chooser.locator(".newsroom-chooser__result")).to_have_count(2)
    chooser.locator("input[name=q]").fill("flooded")
    expect(chooser.locator(".newsroom-chooser__result")).to_have_count(1)
    chooser.locator(".newsroom-chooser__result", has_text="Flooded ring road").click()
    chooser.locator("input[name=caption]").fill("The ring road at dawn on Tuesday")
    chooser.locator(".newsroom-chooser__insert").click()
    expect(chooser).to_have_count(0)

    figure = editor.locator(".newsroom-figure--image")
    expect(figure).to_have_count(1)
    expect(figure).to_contain_text("Flooded ring road")
    expect(figure).to_contain_text("Reuters")
    expect(figure.locator("figcaption")).to_have_text("The ring road at dawn on Tuesday")
    page.wait_for_function(
        "() => { const img = document.querySelector('.newsroom-figure__thumbnail');"
        " return img && img.complete && img.naturalWidth > 0 }"
    )
    body_html = page.locator("textarea#id_body").input_value()
    assert "<h2>Reaction</h2>" in body_html
    assert "<strong>eastern</strong>" in body_html
    assert "<ul><li><p>Roads closed</p></li><li><p>Schools shut</p></li></ul>" in body_html
    assert (
        f'<figure data-image-id="{photo.pk}"><figcaption>The ring road at dawn on Tuesday'
        "</figcaption></figure>"
    ) in body_html

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.locator(".prose-editor").screenshot(path=SCREENSHOT)

    # Save as a draft; the photo comes back in the editor from the stored reference.
    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(r".*/admin/articles/article/\d+/change/$"))
    assert_saved(page)
    article = Article.objects.get(slug="floods-close-the-ring-road")
    assert article.status == Article.Status.DRAFT
    assert f'data-image-id="{photo.pk}"' in article.body
    figure = page.locator(".prose-editor .ProseMirror[contenteditable] .newsroom-figure--image")
    expect(figure).to_contain_text("Reuters")
    expect(figure.locator("figcaption")).to_have_text("The ring road at dawn on Tuesday")

    # Preview: the link's token shows the draft through the API.
    preview = page.locator("a.preview-link")
    expect(preview).to_have_count(1)
    token = parse_qs(urlsplit(preview.get_attribute("href")).query)["token"][0]
    draft = graphql(live_server.url, ARTICLE_QUERY, slug=article.slug, previewToken=token)
    assert "errors" not in draft, draft
    assert draft["data"]["article"]["title"] == "Floods close the ring road"
    assert "ImageBlock" in [block["__typename"] for block in draft["data"]["article"]["body"]]
    hidden = graphql(live_server.url, ARTICLE_QUERY, slug=article.slug)
    assert hidden["data"]["article"] is None

    # Publish through the form.
    page.select_option("#id_status", "published")
    a_minute_ago = timezone.localtime() - timedelta(minutes=1)
    page.fill("#id_published_at_0", a_minute_ago.strftime("%d/%m/%Y"))
    page.fill("#id_published_at_1", a_minute_ago.strftime("%H:%M:%S"))
    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(r".*/admin/articles/article/\d+/change/$"))
    assert_saved(page)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED

    # A frontend, anonymous, reads the photo with its credit and the caption for this use.
    result = graphql(live_server.url, ARTICLE_QUERY, slug=article.slug)
    assert "errors" not in result, result
    GRAPHQL_OUTPUT.write_text(json.dumps(result, indent=2))
    blocks = result["data"]["article"]["body"]
    assert [block["__typename"] for block in blocks] == [
        "ParagraphBlock",
        "HeadingBlock",
        "ListBlock",
        "ImageBlock",
    ]
    image_block = blocks[3]
    assert image_block["caption"] == "The ring road at dawn on Tuesday"
    assert image_block["image"]["credit"]["text"] == "Reuters"
    assert image_block["image"]["altText"] == "Water covers the ring road under a grey sky"
    assert "Reuters" in result["data"]["article"]["bodyHtml"]

    watched.assert_clean()
    watched.context.close()
