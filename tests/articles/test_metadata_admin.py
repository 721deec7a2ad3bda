"""Editors set the news metadata in the admin: display date, social image, corrections' kind."""

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.admin.widgets import AutocompleteSelect
from django.urls import reverse

from articles.models import Article, Correction
from tests.articles.conftest import client_for, staff_in
from tests.articles.formdata import form_data
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_editor_sets_display_date_social_image_and_an_update(editor_client):
    article = ArticleFactory(title="Storm hits the coast")
    social = ImageFactory(title="Waves over the harbour wall")
    page = editor_client.get(change_url(article))
    assert page.status_code == 200
    html = page.content.decode()
    # The display date sits with the publishing fields, the social image with the SEO ones.
    assert html.index('name="unpublish_at_0"') < html.index('name="display_date_0"')
    assert html.index('name="seo_description"') < html.index('name="social_image"')
    assert "corrections-__prefix__-kind" in html

    data = form_data(page.content)
    data.update(
        display_date_0=["2026-03-01"],
        display_date_1=["08:00:00"],
        social_image=[str(social.pk)],
        **{
            "corrections-TOTAL_FORMS": ["1"],
            "corrections-0-kind": ["update"],
            "corrections-0-date_0": ["2026-03-02"],
            "corrections-0-date_1": ["10:15:00"],
            "corrections-0-text": ["The storm has moved inland."],
        },
        _save=["Save"],
    )
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""

    article.refresh_from_db()
    assert article.display_date == datetime(2026, 3, 1, 8, tzinfo=UTC)
    assert article.social_image == social
    correction = article.corrections.get()
    assert correction.kind == Correction.Kind.UPDATE
    assert correction.text == "The storm has moved inland."


def test_social_image_is_chosen_by_autocomplete(editor_client):
    page = editor_client.get(change_url(ArticleFactory()))
    widget = page.context["adminform"].form.fields["social_image"].widget
    assert isinstance(widget.widget, AutocompleteSelect)


def test_writer_previews_their_own_draft(client):
    writer = staff_in("Writers", "wren")
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=writer)
    page = client_for(writer).get(change_url(article))
    assert page.status_code == 200
    query = parse_qs(urlsplit(page.context["preview_url"]).query)
    response = client.post(
        "/graphql/",
        data={
            "query": "query($s: String!, $t: String) { article(slug: $s, previewToken: $t) "
            "{ title } }",
            "variables": {"s": query["slug"][0], "t": query["token"][0]},
        },
        content_type="application/json",
    )
    assert response.json() == {"data": {"article": {"title": article.title}}}
