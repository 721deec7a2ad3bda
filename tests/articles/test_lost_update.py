"""No lost updates: a form based on a version someone has saved over since is refused."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.urls import reverse

from articles import revisions, services
from articles.models import Article, ArticleRevision
from tests.articles.formdata import form_data
from tests.factories import ArticleFactory, AuthorFactory, TagFactory

pytestmark = pytest.mark.django_db

STALE = "saved this article at"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        "eve", password="pw", is_staff=True, first_name="Eve", last_name="Editor"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def other_editor(django_user_model):
    user = django_user_model.objects.create_user(
        "otto", password="pw", is_staff=True, first_name="Otto", last_name="Deskman"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def client_for(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


def open_form(client, article):
    response = client.get(change_url(article))
    assert response.status_code == 200
    return form_data(response.content)


def test_version_counts_up_on_every_save():
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert article.version == 1
    article.title = "A new headline"
    article.save()
    assert article.version == 2
    services.publish_article(article)  # saves some fields only: still counted
    assert article.version == 3
    assert Article.objects.get(pk=article.pk).version == 3


def test_a_stale_copy_still_counts_the_version_up():
    """Two copies of the same row: the database counts, so neither save is lost."""
    article = ArticleFactory()
    copy = Article.objects.get(pk=article.pk)
    article.save()
    copy.save()
    assert copy.version == 3
    assert Article.objects.get(pk=article.pk).version == 3


def test_the_form_carries_the_version_it_was_opened_on(client, editor):
    article = ArticleFactory()
    article.save()
    data = open_form(client_for(type(client), editor), article)
    assert data["base_version"] == ["2"]


def test_second_of_two_forms_on_the_same_version_is_refused(client, editor, other_editor):
    author = AuthorFactory(name="Ada Reporter")
    article = ArticleFactory(title="Floods close the ring road", authors=[author])
    first, second = client_for(type(client), editor), client_for(type(client), other_editor)
    first_data, second_data = open_form(first, article), open_form(second, article)

    first_data.update(title=["Floods close the ring road for a week"], _save=["Save"])
    response = first.post(change_url(article), first_data)
    assert response.status_code == 302
    saved = Article.objects.get(pk=article.pk)
    assert saved.version == 2

    second_data.update(
        title=["Ring road reopens"], body=["<p>The second editor's text.</p>"], _save=["Save"]
    )
    response = second.post(change_url(article), second_data)

    assert response.status_code == 200  # the form again, not a redirect
    page = response.content.decode()
    assert STALE in page
    assert "Eve Editor saved this article at" in page
    assert "(version 2)" in page
    # The user's input is still there to copy from, unsaved.
    assert 'value="Ring road reopens"' in page
    assert "The second editor&#x27;s text." in page or "The second editor's text." in page
    compare = reverse("admin:articles_article_revisions_compare", args=[article.pk])
    assert f"{compare}?from=1&amp;to=2" in page
    # The database keeps the first save, whole; no new version, no revision of the refusal.
    article.refresh_from_db()
    assert article.title == "Floods close the ring road for a week"
    assert article.version == 2
    assert list(article.byline_authors()) == [author]
    assert list(article.revisions.values_list("version", flat=True)) == [2, 1]
    # Both versions stay available: the comparison the message links to works.
    response = second.get(f"{compare}?from=1&to=2")
    assert response.status_code == 200
    assert "for a week" in response.content.decode()


def test_refused_form_saves_no_inline(client, editor, other_editor):
    """A refused save leaves the byline and tags as the first save left them."""
    article = ArticleFactory()
    first, second = client_for(type(client), editor), client_for(type(client), other_editor)
    first_data, second_data = open_form(first, article), open_form(second, article)
    first_data["_save"] = ["Save"]
    assert first.post(change_url(article), first_data).status_code == 302

    tag, author = TagFactory(name="Transport"), AuthorFactory()
    second_data.update(
        {
            "article_tags-0-tag": [str(tag.pk)],
            "bylines-0-author": [str(author.pk)],
            "bylines-0-byline_role": ["written-by"],
            "bylines-0-position": ["0"],
            "_save": ["Save"],
        }
    )
    response = second.post(change_url(article), second_data)
    assert STALE in response.content.decode()
    assert not article.article_tags.exists()
    assert not article.bylines.exists()


def test_bulk_publish_after_opening_makes_the_form_stale(client, editor, admin_user):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    editor_client = client_for(type(client), editor)
    data = open_form(editor_client, article)

    admin = client_for(type(client), admin_user)
    response = admin.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [str(article.pk)]},
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED

    data.update(title=["Edited on the old version"], _save=["Save"])
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert STALE in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED  # not put back to draft by the old form
    assert article.title != "Edited on the old version"


def test_a_form_without_a_version_is_refused(client, editor):
    article = ArticleFactory()
    editor_client = client_for(type(client), editor)
    data = open_form(editor_client, article)
    del data["base_version"]
    data.update(title=["Sneaked in"], _save=["Save"])
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).title != "Sneaked in"


def test_save_article_refuses_a_stale_version():
    article = ArticleFactory(title="First")
    stale = Article.objects.get(pk=article.pk)
    revisions.save_article(article, expected_version=1)
    stale.title = "Second"
    with pytest.raises(revisions.StaleVersion):
        revisions.save_article(stale, expected_version=1)
    assert Article.objects.get(pk=article.pk).title == "First"
    assert ArticleRevision.objects.filter(article=article).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_only_one_wins():
    """Two transactions claim the same version at the same time; exactly one succeeds.

    The loser waits for the winner's lock, then sees the version moved on.
    """
    if connection.vendor == "sqlite":
        pytest.skip("SQLite locks the whole database; the conditional UPDATE is tested above")
    article = ArticleFactory()
    results, ready = [], threading.Barrier(2)

    def save(title):
        try:
            copy = Article.objects.get(pk=article.pk)
            copy.title = title
            ready.wait(timeout=10)
            with transaction.atomic():
                if revisions.claim_version(copy, 1):
                    copy.save()
                    results.append(title)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(title,)) for title in ("One", "Two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 1
    article.refresh_from_db()
    assert article.title == results[0]
    assert article.version == 2
