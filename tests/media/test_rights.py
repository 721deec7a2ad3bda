"""Usage rights: editors find the published articles whose lead photo may soon not be used."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import articles_with_expiring_image_rights
from tests.factories import ArticleFactory, ImageCreditFactory, ImageFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
CHANGELIST = reverse("admin:articles_article_changelist")


def days(count):
    return NOW + timedelta(days=count)


def article_with(title, image_expiry=None, credit_expiry=None, **fields):
    credit = ImageCreditFactory(rights_expire_at=credit_expiry)
    image = ImageFactory(rights_expire_at=image_expiry, credit=credit)
    return ArticleFactory(title=title, lead_image=image, **fields)


@pytest.fixture
def newsroom(settings):
    settings.IMAGE_RIGHTS_WARNING_DAYS = 30
    return {
        "own date soon": article_with("own date soon", image_expiry=days(10)),
        "credit expired": article_with("credit expired", credit_expiry=days(-2)),
        "earliest wins": article_with(
            "earliest wins", image_expiry=days(90), credit_expiry=days(5)
        ),
        "far off": article_with("far off", image_expiry=days(90), credit_expiry=days(120)),
        "no expiry": article_with("no expiry"),
        "no photo": ArticleFactory(title="no photo"),
        "draft": article_with(
            "draft", image_expiry=days(1), status=Article.Status.DRAFT, published_at=None
        ),
        "taken down": article_with(
            "taken down",
            image_expiry=days(-10),
            published_at=days(-40),
            unpublish_at=days(-1),
        ),
        "down before expiry": article_with(
            "down before expiry", image_expiry=days(20), unpublish_at=days(15)
        ),
        "down after expiry": article_with(
            "down after expiry", image_expiry=days(20), unpublish_at=days(25)
        ),
        "scheduled": article_with(
            "scheduled", credit_expiry=days(3), published_at=days(1), unpublish_at=None
        ),
    }


def test_published_articles_with_photo_rights_ending_soon_or_ended(newsroom):
    found = articles_with_expiring_image_rights(now=NOW)

    assert [article.title for article in found] == [
        "credit expired",
        "scheduled",
        "earliest wins",
        "own date soon",
        "down after expiry",
    ]
    assert (
        found[0].image_rights_expire_at
        == newsroom["credit expired"].lead_image.credit.rights_expire_at
    )
    assert found[2].image_rights_expire_at == days(5)


def test_the_window_is_a_setting_or_an_argument(newsroom, settings):
    assert [a.title for a in articles_with_expiring_image_rights(days=0, now=NOW)] == [
        "credit expired"
    ]
    settings.IMAGE_RIGHTS_WARNING_DAYS = 100
    titles = {a.title for a in articles_with_expiring_image_rights(now=NOW)}
    assert "far off" in titles and "no expiry" not in titles


def test_the_image_reports_its_effective_expiry(newsroom):
    image = newsroom["earliest wins"].lead_image
    assert image.rights_expiry == days(5)
    assert newsroom["no expiry"].lead_image.rights_expiry is None


def test_admin_lists_them_with_a_filter(admin_client, newsroom):
    response = admin_client.get(CHANGELIST, {"photo_rights": "expiring"})

    assert response.status_code == 200
    assert {a.title for a in response.context["cl"].result_list} == {
        "credit expired",
        "scheduled",
        "earliest wins",
        "own date soon",
        "down after expiry",
    }
    content = response.content.decode()
    assert "Photo rights until" in content
    assert str(days(-2).date()) in content


def test_article_list_warns_with_a_link_to_them(admin_client, newsroom):
    response = admin_client.get(CHANGELIST)

    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(notes) == 1, notes
    assert "5 published articles use photos whose rights expire within 30 days" in notes[0]
    assert 'href="?photo_rights=expiring"' in notes[0]
    # ... and not again on the filtered list itself.
    filtered = admin_client.get(CHANGELIST, {"photo_rights": "expiring"})
    assert not list(get_messages(filtered.wsgi_request))


def test_no_warning_when_all_rights_are_fine(admin_client):
    article_with("far off", image_expiry=days(300))
    response = admin_client.get(CHANGELIST)
    assert not list(get_messages(response.wsgi_request))


def test_rights_dates_are_editable_on_the_image_and_the_credit(admin_client):
    image = ImageFactory()
    for page in [
        reverse("admin:media_image_change", args=[image.pk]),
        reverse("admin:media_imagecredit_change", args=[image.credit.pk]),
    ]:
        content = admin_client.get(page).content.decode()
        assert 'name="rights_expire_at_0"' in content, page
