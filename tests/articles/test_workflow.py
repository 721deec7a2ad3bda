"""The workflow steps as services: draft → review → published → taken down or archived.

Each step checks the role of whoever takes it, the same for the admin and any other caller; a
``user`` of ``None`` is the system (management commands). Scheduling needs no cron job: an
article scheduled by an editor appears in the API at its time and disappears at its take-down
time.
"""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article
from tests.articles.formdata import form_data
from tests.articles.test_admin import article_form
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db


def draft_by(user, **fields):
    fields = {"status": Article.Status.DRAFT, "published_at": None, **fields}
    return ArticleFactory(created_by=user, **fields)


def stored(article):
    return Article.objects.values("status", "published_at", "unpublish_at").get(pk=article.pk)


# -- Who may do what --------------------------------------------------------------------------


def test_roles_as_the_groups_grant_them(writer, other_writer, editor):
    mine, theirs = draft_by(writer), draft_by(other_writer)
    in_review = draft_by(writer, status=Article.Status.REVIEW)
    published = ArticleFactory(created_by=writer)

    assert not services.can_publish(writer)
    assert services.can_publish(editor) and services.can_publish(None)
    assert services.can_edit(writer, mine) and services.can_edit(writer, in_review)
    assert not services.can_edit(writer, theirs) and not services.can_edit(writer, published)
    assert all(services.can_edit(editor, a) for a in (mine, theirs, in_review, published))
    assert services.can_edit(writer, Article()), "a writer creates new articles"


def test_a_superuser_is_an_editor(django_user_model):
    boss = django_user_model.objects.create_superuser("boss", password="pw")

    assert services.can_publish(boss) and services.can_edit(boss, ArticleFactory())


def test_a_writer_submits_their_draft_and_takes_it_back(writer):
    article = draft_by(writer)

    assert services.submit_for_review(article, writer) is True
    assert stored(article)["status"] == "review"
    assert services.submit_for_review(article, writer) is False

    services.check_change(writer, article, {"status": "draft"})  # review → draft is allowed


def test_an_editor_submits_any_draft(writer, editor):
    article = draft_by(writer)

    assert services.submit_for_review(article, editor) is True


def test_a_writer_cannot_submit_another_writers_draft(writer, other_writer):
    article = draft_by(other_writer)

    with pytest.raises(services.NotAllowed, match="only your own articles"):
        services.submit_for_review(article, writer)
    assert stored(article)["status"] == "draft"


def test_only_drafts_are_submitted(editor):
    article = ArticleFactory()

    with pytest.raises(services.WrongStatus, match="this article is published"):
        services.submit_for_review(article, editor)
    assert stored(article)["status"] == "published"


@pytest.mark.parametrize(
    "step",
    [
        lambda article, user: services.publish_article(article, user=user),
        lambda article, user: services.schedule_article(
            article, timezone.now() + timedelta(days=1), user=user
        ),
        lambda article, user: services.unpublish_article(article, user=user),
        lambda article, user: services.archive_article(article, user=user),
    ],
    ids=["publish", "schedule", "unpublish", "archive"],
)
def test_a_writer_takes_no_publishing_step_even_on_their_own_article(writer, step):
    article = draft_by(writer, status=Article.Status.REVIEW)
    before = stored(article)

    with pytest.raises(services.NotAllowed, match="Only editors"):
        step(article, writer)
    assert stored(article) == before


def test_an_editor_publishes_schedules_unpublishes_and_archives(writer, editor):
    article = draft_by(writer, status=Article.Status.REVIEW)
    later = timezone.now() + timedelta(days=1)

    services.schedule_article(article, later, later + timedelta(days=7), user=editor)
    assert stored(article) == {
        "status": "published",
        "published_at": later,
        "unpublish_at": later + timedelta(days=7),
    }
    assert not article.is_public
    assert services.unpublish_article(article, user=editor) is True
    assert stored(article)["status"] == "draft"
    assert services.publish_article(article, user=editor) is True
    assert stored(article)["published_at"] == later and not article.is_public, "still scheduled"
    assert services.archive_article(article, user=editor) is True
    assert stored(article)["status"] == "archived" and not article.is_public


def test_the_system_publishes_without_a_user():
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    assert services.publish_article(article) is True
    assert article.is_public


def test_a_take_down_before_the_publication_time_is_refused(editor):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    at = timezone.now() + timedelta(days=1)

    with pytest.raises(ValidationError, match="take-down time must be after"):
        services.schedule_article(article, at, at - timedelta(hours=1), user=editor)
    assert stored(article)["status"] == "draft"


def test_scheduling_follows_the_photo_rules(editor):
    article = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, lead_image=ImageFactory(credit=None)
    )

    with pytest.raises(services.NotPublishable):
        services.schedule_article(article, timezone.now() + timedelta(days=1), user=editor)
    assert stored(article)["status"] == "draft"


def test_a_new_article_records_who_created_it_and_keeps_it(editor, editor_client):
    editor_client.post(reverse("admin:articles_article_add"), article_form())
    article = Article.objects.get()
    assert article.created_by == editor

    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    data = form_data(page.content)
    data["title"] = ["Retitled"]
    editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    article.refresh_from_db()
    assert article.title == "Retitled" and article.created_by == editor


# -- Scheduling and expiry, as readers see them -----------------------------------------------

ARTICLE = "query ($slug: String!) { article(slug: $slug) { slug title } }"
LIST = "{ articles(first: 10) { edges { node { slug } } } }"


def public_view(client, slug):
    """What an anonymous API client sees of ``slug``: (the article or None, the slugs listed)."""

    def post(query, variables=None):
        response = client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
        )
        assert response.status_code == 200
        body = response.json()
        assert "errors" not in body, body
        return body["data"]

    one = post(ARTICLE, {"slug": slug})["article"]
    listed = [edge["node"]["slug"] for edge in post(LIST)["articles"]["edges"]]
    return one, listed


def test_a_scheduled_article_appears_at_its_time_and_goes_at_its_take_down_time(
    client, editor_client, writer
):
    start = timezone.now().replace(microsecond=0)
    article = draft_by(writer, slug="harbour-reopens", title="Harbour reopens")
    services.submit_for_review(article, writer)
    publish_at, take_down_at = start + timedelta(hours=2), start + timedelta(hours=26)

    # The editor schedules it in the admin form.
    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    data = form_data(page.content)
    data.update(
        status=["published"],
        published_at_0=[publish_at.strftime("%Y-%m-%d")],
        published_at_1=[publish_at.strftime("%H:%M:%S")],
        unpublish_at_0=[take_down_at.strftime("%Y-%m-%d")],
        unpublish_at_1=[take_down_at.strftime("%H:%M:%S")],
    )
    response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.context and response.context["errors"]

    with time_machine.travel(start + timedelta(hours=1), tick=False):
        assert public_view(client, "harbour-reopens") == (None, [])
    with time_machine.travel(publish_at, tick=False):
        article, listed = public_view(client, "harbour-reopens")
        assert article == {"slug": "harbour-reopens", "title": "Harbour reopens"}
        assert listed == ["harbour-reopens"]
    with time_machine.travel(take_down_at - timedelta(seconds=1), tick=False):
        assert public_view(client, "harbour-reopens")[1] == ["harbour-reopens"]
    with time_machine.travel(take_down_at, tick=False):
        assert public_view(client, "harbour-reopens") == (None, [])
