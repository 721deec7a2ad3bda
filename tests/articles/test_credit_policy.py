"""Credit policy: an article is not published while its lead photo lacks alt text or a credit."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles import services
from articles.models import Article
from tests.articles.test_admin import article_form
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db


def draft(image, **fields):
    return ArticleFactory(
        lead_image=image, status=Article.Status.DRAFT, published_at=None, **fields
    )


@pytest.mark.parametrize(
    ("alt_text", "credit", "missing"),
    [
        ("", "keep", "needs alt text before"),
        ("   ", "keep", "needs alt text before"),
        ("Boats", None, "needs a credit before"),
        ("", None, "needs alt text and a credit before"),
    ],
)
def test_publishing_refuses_an_incomplete_lead_photo(alt_text, credit, missing):
    image = ImageFactory(title="Harbour at dawn", alt_text=alt_text)
    if credit is None:
        image.credit = None
        image.save()
    article = draft(image)

    with pytest.raises(services.NotPublishable) as excinfo:
        services.publish_article(article)

    assert "The lead photo “Harbour at dawn”" in excinfo.value.messages[0]
    assert missing in excinfo.value.messages[0]
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and article.published_at is None


def test_a_complete_photo_or_no_photo_publishes():
    for article in (draft(ImageFactory()), draft(None)):
        assert services.publish_article(article) is True
        article.refresh_from_db()
        assert article.is_public


def test_the_setting_relaxes_the_rule(settings):
    settings.IMAGE_CREDIT_REQUIRED = False
    article = draft(ImageFactory(alt_text="", credit=None))

    assert services.publish_article(article) is True
    assert services.lead_image_problem(article.lead_image) is None


def test_the_form_refuses_to_publish_and_names_the_photo(admin_client):
    image = ImageFactory(title="Harbour at dawn", credit=None)
    data = article_form(
        lead_image=str(image.pk),
        status="published",
        published_at_0="2025-03-01",
        published_at_1="09:30:00",
    )

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["lead_image"]
    assert "The lead photo “Harbour at dawn” needs a credit" in errors[0]
    content = response.content.decode()
    assert reverse("admin:media_image_change", args=[image.pk]) in content
    assert not Article.objects.exists()


def test_the_form_saves_drafts_with_an_incomplete_photo_and_says_what_to_fix(admin_client):
    image = ImageFactory(title="Harbour at dawn", alt_text="")
    data = article_form(lead_image=str(image.pk), status="draft")

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302
    article = Article.objects.get()
    page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "The lead photo “Harbour at dawn” needs alt text" in page.content.decode()


def test_the_form_publishes_when_the_setting_is_off(admin_client, settings):
    settings.IMAGE_CREDIT_REQUIRED = False
    image = ImageFactory(credit=None, alt_text="")
    data = article_form(
        lead_image=str(image.pk),
        status="published",
        published_at_0="2025-03-01",
        published_at_1="09:30:00",
    )

    assert admin_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    assert Article.objects.get().status == Article.Status.PUBLISHED


def test_the_bulk_action_publishes_the_rest_and_reports_the_skipped(admin_client):
    ready = draft(ImageFactory(), title="Trams return")
    no_credit = draft(ImageFactory(title="Depot at night", credit=None), title="Strike ends")
    no_alt = draft(ImageFactory(title="Crowd", alt_text=""), title="Rally")

    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [ready.pk, no_credit.pk, no_alt.pk]},
        follow=True,
    )

    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert notes[0] == "1 article published."
    assert notes[1].startswith("2 articles were not published:")
    assert "“Strike ends”: The lead photo “Depot at night” needs a credit" in notes[1]
    assert "“Rally”: The lead photo “Crowd” needs alt text" in notes[1]
    assert reverse("admin:media_image_change", args=[no_alt.lead_image.pk]) in notes[1]
    statuses = dict(Article.objects.values_list("title", "status"))
    assert statuses == {"Trams return": "published", "Strike ends": "draft", "Rally": "draft"}


def test_bulk_service_returns_published_and_skipped():
    ready, blocked = draft(ImageFactory()), draft(ImageFactory(credit=None))

    result = services.publish_articles(Article.objects.all())

    assert result.published == [ready]
    assert [
        (article, "needs a credit" in error.messages[0]) for article, error in result.skipped
    ] == [(blocked, True)]
    assert [problem.image for problem in result.skipped[0][1].problems] == [blocked.lead_image]
