"""The body editor in the admin: served from this site only, and its photo chooser."""

import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.admin_editor import CHOOSER_MAX_IDS, CHOOSER_PAGE_SIZE
from tests.factories import ArticleFactory, ImageCreditFactory, ImageFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/article/add/"


def chooser_url():
    return reverse("admin:articles_article_image_chooser")


def editor_config(content):
    match = re.search(r'data-django-prose-editor-configurable="([^"]*)"', content)
    assert match, "the body has no prose editor"
    return json.loads(unescape(match.group(1)))


def staff_user(*permissions):
    user = User.objects.create_user("writer", password="pw", is_staff=True)
    for name in permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def test_the_body_is_edited_in_the_rich_text_editor_with_the_newsroom_blocks(admin_client):
    content = admin_client.get(ADD_URL).content.decode()
    config = editor_config(content)
    extensions = config["extensions"]

    assert extensions["Heading"] == {"levels": [2, 3, 4]}
    for name in ["Bold", "Italic", "Link", "BulletList", "OrderedList", "HorizontalRule"]:
        assert extensions[name]
    for name in ["NewsroomQuote", "QuoteAttribution", "FigureCaption", "EmbedFigure"]:
        assert extensions[name] is True
    # The newsroom's document (figures at the top level only) and quote replace the stock ones.
    assert extensions["NewsroomDocument"] is True
    assert "Document" not in extensions and "Blockquote" not in extensions
    assert extensions["LibraryImage"] == {"chooserUrl": chooser_url()}
    assert config["js_modules"] == ["/static/articles/editor/newsroom.js"]
    assert '<script type="importmap">' in content


def test_the_admin_page_loads_every_script_and_style_from_this_site(admin_client):
    content = admin_client.get(ADD_URL).content.decode()
    config = editor_config(content)
    importmap = json.loads(re.search(r'<script type="importmap">(.*?)</script>', content).group(1))
    urls = (
        re.findall(r'<script[^>]* src="([^"]+)"', content)
        + re.findall(r'<link[^>]* href="([^"]+)"', content)
        + list(importmap["imports"].values())
        + config["js_modules"]
    )

    assert "/static/articles/editor/newsroom.js" in urls
    assert "/static/articles/editor/newsroom.css" in urls
    for url in urls:
        assert url.startswith("/"), f"{url} is not served by this site"
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), f"{url} is missing"


def test_an_existing_body_is_given_to_the_editor_unchanged(admin_client):
    body = (
        '<p>Intro</p><blockquote class="pull-quote"><p>Words</p><cite>Name</cite></blockquote>'
        '<figure data-embed-url="https://vimeo.com/1"></figure>'
    )
    article = ArticleFactory(body=body)
    article.refresh_from_db()
    assert 'class="pull-quote"' in article.body and "data-embed-url" in article.body

    content = admin_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    textarea = re.search(r"<textarea name=\"body\"[^>]*>(.*?)</textarea>", content, re.S)
    assert unescape(textarea.group(1)).strip() == article.body


def test_the_chooser_finds_photos_with_thumbnail_credit_and_alt_text(admin_client):
    photo = ImageFactory(
        title="Flooded ring road",
        alt_text="Water covers the road",
        caption="The ring road",
        credit=ImageCreditFactory(text="Reuters"),
    )
    ImageFactory(title="Council chamber", credit=ImageCreditFactory(text="Handout"))

    response = admin_client.get(chooser_url(), {"q": "flooded"})

    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["id"] == photo.pk
    assert result["title"] == "Flooded ring road"
    assert result["altText"] == "Water covers the road"
    assert result["caption"] == "The ring road"
    assert result["credit"] == "Reuters"
    assert result["thumbnail"].startswith("/images/")
    assert result["editUrl"] == reverse("admin:media_image_change", args=[photo.pk])
    assert admin_client.get(result["thumbnail"]).status_code == 200


def test_the_chooser_searches_credits_and_lists_newest_first_by_default(admin_client):
    older = ImageFactory(credit=ImageCreditFactory(text="Agence"))
    newer = ImageFactory(credit=ImageCreditFactory(text="Reuters"))

    everything = admin_client.get(chooser_url()).json()["results"]
    by_credit = admin_client.get(chooser_url(), {"q": "reuters"}).json()["results"]

    assert [r["id"] for r in everything] == [newer.pk, older.pk]
    assert [r["id"] for r in by_credit] == [newer.pk]


def test_the_chooser_shows_one_page_of_results(admin_client):
    ImageFactory.create_batch(CHOOSER_PAGE_SIZE + 1)

    results = admin_client.get(chooser_url()).json()["results"]

    assert len(results) == CHOOSER_PAGE_SIZE


def test_the_chooser_looks_up_the_photos_a_body_shows_by_id(admin_client):
    first, _other, third = ImageFactory.create_batch(3)

    response = admin_client.get(chooser_url(), {"id": [third.pk, first.pk, 999_999]})

    assert sorted(r["id"] for r in response.json()["results"]) == [first.pk, third.pk]


def test_the_chooser_costs_the_same_queries_for_more_photos(admin_client):
    ImageFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(chooser_url(), {"q": "photo"})
    ImageFactory.create_batch(6)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(chooser_url(), {"q": "photo"})

    assert len(response.json()["results"]) == 8
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(
    "params",
    [
        {"id": "abc"},
        {"id": "-1"},
        {"id": "9" * 30},  # past any database id: a 400, not an overflow
        {"id": [str(n) for n in range(CHOOSER_MAX_IDS + 1)]},
        {"q": "x" * 201},
    ],
)
def test_bad_chooser_input_is_a_clear_400(admin_client, params):
    response = admin_client.get(chooser_url(), params)

    assert response.status_code == 400
    assert response.json()["error"]


def test_the_chooser_is_for_staff_who_may_see_the_library(client):
    ImageFactory()
    assert client.get(chooser_url()).status_code == 302  # to the admin login

    client.force_login(staff_user("articles.change_article"))
    response = client.get(chooser_url())
    assert response.status_code == 403
    assert response.json()["error"]

    client.force_login(staff_user_with_library())
    assert len(client.get(chooser_url()).json()["results"]) == 1


def staff_user_with_library():
    user = User.objects.get(username="writer")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="media", codename="view_image")
    )
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached per object
