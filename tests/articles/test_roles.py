"""Roles: writers write and submit, editors publish, through every path of the admin.

A writer must not publish, schedule or take down an article however the request is made: with
the form, with a crafted POST carrying values the form did not offer, or with a bulk action;
and must not change another writer's article. Editors can do all of it.
"""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.forms import modelform_factory
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.admin import ArticleAdminForm
from articles.models import Article, ArticleAuthor
from tests.articles.formdata import form_data
from tests.articles.test_admin import article_form
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"admin:articles_{name}", args=args)


def draft_by(user, **fields):
    return ArticleFactory(created_by=user, status=Article.Status.DRAFT, published_at=None, **fields)


def change_page_data(client, article):
    """The change form as the browser would post it back unchanged."""
    response = client.get(url("article_change", article.pk))
    assert response.status_code == 200
    return form_data(response.content)


def stored(article):
    return Article.objects.values("status", "published_at", "unpublish_at").get(pk=article.pk)


def notes(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# -- Writers: what they may do ----------------------------------------------------------------


def test_a_writer_creates_a_draft_which_becomes_theirs(writer, writer_client):
    response = writer_client.post(url("article_add"), article_form())

    assert response.status_code == 302, response.context and response.context["errors"]
    article = Article.objects.get()
    assert article.created_by == writer and article.status == Article.Status.DRAFT


def test_a_writer_is_offered_draft_and_review_only_and_no_publishing_times(writer, writer_client):
    article = draft_by(writer)

    response = writer_client.get(url("article_change", article.pk))

    form = response.context["adminform"].form
    assert [value for value, _label in form.fields["status"].choices] == ["draft", "review"]
    assert "published_at" not in form.fields and "unpublish_at" not in form.fields
    data = form_data(response.content)
    assert "published_at_0" not in data and "unpublish_at_0" not in data


def test_a_writer_edits_their_own_draft_and_submits_it_in_the_form(writer, writer_client):
    article = draft_by(writer, title="Old headline")
    data = change_page_data(writer_client, article)
    data.update(title=["New headline"], status=["review"])

    response = writer_client.post(url("article_change", article.pk), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    article.refresh_from_db()
    assert article.title == "New headline" and article.status == Article.Status.REVIEW


def test_a_writer_edits_a_draft_with_their_author_profile_on_the_byline(
    writer, writer_client, other_writer
):
    author = AuthorFactory(user=writer)
    article = draft_by(other_writer)
    ArticleAuthor.objects.create(article=article, author=author)
    client = writer_client
    data = change_page_data(client, article)
    data["title"] = ["Shared story"]

    assert client.post(url("article_change", article.pk), data).status_code == 302
    article.refresh_from_db()
    assert article.title == "Shared story"


def test_a_writer_submits_drafts_for_review_with_the_action(writer, writer_client, other_writer):
    mine = draft_by(writer, title="Mine")
    theirs = draft_by(other_writer, title="Theirs")

    response = writer_client.post(
        url("article_changelist"),
        {"action": "submit_for_review", "_selected_action": [mine.pk, theirs.pk]},
        follow=True,
    )

    messages = notes(response)
    assert messages[0] == "1 article submitted for review."
    assert "“Theirs”: You can edit only your own articles" in messages[1]
    assert dict(Article.objects.values_list("title", "status")) == {
        "Mine": "review",
        "Theirs": "draft",
    }


# -- Writers: what they may not do ------------------------------------------------------------


def test_a_writer_cannot_publish_a_new_article_with_the_form(writer_client):
    data = article_form(status="published", published_at_0="2025-03-01", published_at_1="09:30")

    response = writer_client.post(url("article_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"]
    assert not Article.objects.exists()


@pytest.mark.parametrize("status", ["published", "archived"])
def test_a_crafted_post_cannot_publish_or_archive_a_writers_draft(writer, writer_client, status):
    article = draft_by(writer)
    data = change_page_data(writer_client, article)
    data.update(
        status=[status],
        published_at_0=["2025-03-01"],
        published_at_1=["09:30:00"],
        unpublish_at_0=["2030-03-01"],
        unpublish_at_1=["09:30:00"],
    )

    response = writer_client.post(url("article_change", article.pk), data)

    assert response.status_code == 200
    assert "is not one of the available choices" in str(
        response.context["adminform"].form.errors["status"]
    )
    assert stored(article) == {"status": "draft", "published_at": None, "unpublish_at": None}


def test_a_crafted_post_cannot_schedule_a_writers_draft(writer, writer_client):
    """The publishing times are read-only for writers: posted values are ignored."""
    article = draft_by(writer)
    data = change_page_data(writer_client, article)
    data.update(
        published_at_0=["2030-03-01"],
        published_at_1=["09:30:00"],
        unpublish_at_0=["2030-04-01"],
        unpublish_at_1=["09:30:00"],
    )

    assert writer_client.post(url("article_change", article.pk), data).status_code == 302
    assert stored(article) == {"status": "draft", "published_at": None, "unpublish_at": None}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "published"}, "editors publish and archive"),
        ({"status": "archived"}, "editors publish and archive"),
        ({"published_at": "2030-03-01 09:30"}, "Only editors can set the publication"),
        ({"unpublish_at": "2030-03-01 09:30"}, "Only editors can set the publication"),
    ],
)
def test_the_form_itself_refuses_a_writer_whatever_fields_it_has(writer, changes, message):
    """Even a form offering every field and status (as another admin view might) refuses."""
    article = draft_by(writer)
    Form = modelform_factory(
        Article,
        form=ArticleAdminForm,
        fields=["title", "slug", "status", *services.SCHEDULE_FIELDS],
    )
    Form.user = writer
    data = {"title": article.title, "slug": article.slug, "status": "draft", **changes}

    form = Form(data=data, instance=article)

    assert not form.is_valid()
    assert message in " ".join(form.non_field_errors())
    assert stored(article)["status"] == "draft"


def test_a_writer_has_no_publishing_actions_and_a_crafted_one_changes_nothing(
    writer, writer_client
):
    article = draft_by(writer)
    published = ArticleFactory(created_by=writer)
    page = writer_client.get(url("article_changelist"))
    offered = [value for value, _label in page.context["action_form"].fields["action"].choices]
    assert offered == ["", "submit_for_review"]

    for action, selected in [("publish", article), ("unpublish", published), ("archive", article)]:
        response = writer_client.post(
            url("article_changelist"),
            {"action": action, "_selected_action": [selected.pk]},
            follow=True,
        )
        assert response.status_code == 200
        assert notes(response) == ["No action selected."]
    assert stored(article)["status"] == "draft"
    assert stored(published)["status"] == "published"


def test_the_bulk_services_refuse_a_writer_and_change_nothing(writer):
    draft, published = draft_by(writer), ArticleFactory(created_by=writer)
    queryset = Article.objects.all()

    for bulk in (services.publish_articles, services.unpublish_articles, services.archive_articles):
        with pytest.raises(services.NotAllowed):
            bulk(queryset, user=writer)
    assert stored(draft)["status"] == "draft" and stored(published)["status"] == "published"


def test_a_writer_sees_another_writers_article_read_only(writer_client, other_writer):
    article = draft_by(other_writer, title="Not yours")

    response = writer_client.get(url("article_change", article.pk))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert all(
        not formset.has_add_permission and not formset.has_change_permission
        for formset in response.context["inline_admin_formsets"]
    )
    assert 'name="_save"' not in response.content.decode()


def test_a_writer_cannot_post_changes_to_another_writers_article(writer_client, other_writer):
    article = draft_by(other_writer, title="Not yours")
    data = article_form(title="Changed", slug=article.slug)

    response = writer_client.post(url("article_change", article.pk), data)

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Not yours"


def test_a_writer_cannot_edit_their_own_article_once_published(writer, writer_client):
    article = ArticleFactory(created_by=writer, title="Out there")
    data = article_form(title="Quietly changed", slug=article.slug, status="draft")

    assert (
        writer_client.get(url("article_change", article.pk)).context["has_change_permission"]
        is False
    )
    assert writer_client.post(url("article_change", article.pk), data).status_code == 403
    article.refresh_from_db()
    assert article.title == "Out there" and article.status == Article.Status.PUBLISHED


# -- Editors ----------------------------------------------------------------------------------


def test_an_editor_publishes_another_writers_draft_with_the_form(editor_client, writer):
    article = draft_by(writer)
    data = change_page_data(editor_client, article)
    data.update(status=["published"], published_at_0=["2025-03-01"], published_at_1=["09:30:00"])

    response = editor_client.post(url("article_change", article.pk), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    article.refresh_from_db()
    assert article.is_public and article.created_by == writer


def test_an_editor_schedules_and_sets_a_take_down_time_with_the_form(editor_client, writer):
    article = draft_by(writer)
    data = change_page_data(editor_client, article)
    data.update(
        status=["published"],
        published_at_0=["2030-03-01"],
        published_at_1=["09:30:00"],
        unpublish_at_0=["2030-03-08"],
        unpublish_at_1=["09:30:00"],
    )

    assert editor_client.post(url("article_change", article.pk), data).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and not article.is_public
    assert article.published_at.isoformat() == "2030-03-01T09:30:00+00:00"
    assert article.unpublish_at.isoformat() == "2030-03-08T09:30:00+00:00"


def test_an_editor_publishes_unpublishes_and_archives_with_the_actions(editor_client):
    article = ArticleFactory(status=Article.Status.REVIEW, published_at=None)
    changelist = url("article_changelist")

    for action, status in [
        ("publish", "published"),
        ("unpublish", "draft"),
        ("archive", "archived"),
    ]:
        response = editor_client.post(
            changelist, {"action": action, "_selected_action": [article.pk]}, follow=True
        )
        assert response.status_code == 200
        assert stored(article)["status"] == status, notes(response)


def test_editors_see_the_review_queue(editor_client, writer):
    waiting = ArticleFactory(created_by=writer, status=Article.Status.REVIEW, published_at=None)
    draft_by(writer)
    ArticleFactory()

    page = editor_client.get(url("article_changelist"))
    queue = editor_client.get(url("article_changelist"), {"workflow": "review"})

    assert any("1 article is waiting for review." in note for note in notes(page))
    assert "?workflow=review" in page.content.decode()
    assert list(queue.context["cl"].result_list) == [waiting]


def test_writers_filter_their_own_articles(writer, writer_client, other_writer):
    mine = draft_by(writer)
    bylined = draft_by(other_writer)
    ArticleAuthor.objects.create(article=bylined, author=AuthorFactory(user=writer))
    draft_by(other_writer)

    response = writer_client.get(url("article_changelist"), {"workflow": "mine"})

    assert {a.pk for a in response.context["cl"].result_list} == {mine.pk, bylined.pk}


def test_scheduled_and_taken_down_filters(editor_client):
    now = timezone.now()
    scheduled = ArticleFactory(published_at=now + timedelta(hours=2))
    taken_down = ArticleFactory(
        published_at=now - timedelta(days=2), unpublish_at=now - timedelta(hours=1)
    )
    ArticleFactory()

    for value, expected in [("scheduled", scheduled), ("taken-down", taken_down)]:
        response = editor_client.get(url("article_changelist"), {"workflow": value})
        assert list(response.context["cl"].result_list) == [expected]
