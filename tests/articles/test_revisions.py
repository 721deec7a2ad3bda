"""Revisions: every save keeps one, the admin lists and compares them, and can revert."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import revisions, services
from articles.models import Article, ArticleAuthor, ArticleRevision, ArticleTag
from tests.articles.formdata import form_data
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CorrectionFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"admin:articles_article_{name}", args=args)


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("eve", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def writer(django_user_model):
    user = django_user_model.objects.create_user("walt", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Writers"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def save_form(client, article, **changes):
    """Open the article's page and save it with ``changes``, as an editor in a browser does."""
    data = form_data(client.get(url("change", article.pk)).content)
    data.update(
        {name: value if isinstance(value, list) else [value] for name, value in changes.items()}
    )
    data["_save"] = ["Save"]
    response = client.post(url("change", article.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_saving_the_form_keeps_a_revision_with_byline_tags_and_body(editor_client, editor):
    ada, bob = AuthorFactory(name="Ada Reporter"), AuthorFactory(name="Bob Lens")
    transport = TagFactory(name="Transport")
    article = ArticleFactory(authors=[ada], tags=[transport])
    rail = TagFactory(name="Rail")

    save_form(
        editor_client,
        article,
        body="<p>Trains <strong>stopped</strong>.</p>",
        **{
            "bylines-1-author": str(bob.pk),
            "bylines-1-byline_role": "photos-by",
            "bylines-1-position": "1",
            "article_tags-1-tag": str(rail.pk),
        },
    )

    article.refresh_from_db()
    revision = article.revisions.get(version=article.version)
    assert revision.created_by == editor
    assert revision.data["body"] == "<p>Trains <strong>stopped</strong>.</p>"
    assert revision.data["bylines"] == [
        {"author_id": ada.pk, "name": "Ada Reporter", "role": "written-by", "position": 0},
        {"author_id": bob.pk, "name": "Bob Lens", "role": "photos-by", "position": 1},
    ]
    assert [t["name"] for t in revision.data["tags"]] == ["Transport", "Rail"]
    assert "Body" in revision.summary
    # The state before this save, from before revisions were kept, is kept too.
    baseline = article.revisions.get(version=article.version - 1)
    assert baseline.data["body"] != revision.data["body"]
    assert [b["name"] for b in baseline.data["bylines"]] == ["Ada Reporter"]


def test_adding_an_article_keeps_its_first_revision(editor_client):
    section = SectionFactory()
    data = form_data(editor_client.get(url("add")).content)
    data.update(
        title=["Floods close the ring road"],
        slug=["floods-close-the-ring-road"],
        body=["<p>Water rose overnight.</p>"],
        section=[str(section.pk)],
        _save=["Save"],
    )
    response = editor_client.post(url("add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="floods-close-the-ring-road")
    assert article.version == 1
    assert list(article.revisions.values_list("version", "summary")) == [(1, "Created")]


def test_publish_and_unpublish_keep_revisions(editor):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    services.publish_article(article, user=editor)
    services.unpublish_article(article, user=editor)
    statuses = [
        (revision.version, revision.data["status"], revision.created_by)
        for revision in article.revisions.all()
    ]
    assert statuses == [(3, "draft", editor), (2, "published", editor)]


def test_snapshot_holds_every_editorial_field():
    lead, social = ImageFactory(title="Flooded road"), ImageFactory(title="Share card")
    article = ArticleFactory(lead_image=lead, social_image=social, seo_title="Floods")
    CorrectionFactory(article=article, text="An earlier version misspelt the mayor's name.")
    data = revisions.snapshot(article)
    assert data["lead_image"] == {"id": lead.pk, "title": "Flooded road"}
    assert data["social_image"] == {"id": social.pk, "title": "Share card"}
    assert data["section"]["name"] == article.section.name
    assert data["status"] == "published"
    assert data["published_at"] == article.published_at.isoformat()
    assert data["seo_title"] == "Floods"
    assert data["corrections"][0]["text"] == "An earlier version misspelt the mayor's name."


def test_compare_lists_changed_fields_with_word_diffs():
    ada, bob = AuthorFactory(name="Ada Reporter"), AuthorFactory(name="Bob Lens")
    old = {
        "title": "Council approves budget",
        "body": "<p>The council met on Tuesday.</p>",
        "bylines": [{"author_id": ada.pk, "name": "Ada Reporter", "role": "written-by"}],
        "tags": [{"id": 1, "name": "Politics"}],
        "status": "draft",
    }
    new = {
        **old,
        "body": "<p>The council met on Wednesday.</p>",
        "bylines": [{"author_id": bob.pk, "name": "Bob Lens", "role": "written-by"}],
        "tags": [{"id": 1, "name": "Politics"}],
        "status": "published",
    }
    changes = {change.name: str(change.diff) for change in revisions.compare(old, new)}
    assert set(changes) == {"body", "bylines", "status"}
    assert "<del>Tuesday.</del><ins>Wednesday.</ins>" in changes["body"]
    assert "&lt;p&gt;The council met on " in changes["body"]  # markup shown, escaped
    assert "<del>Ada Reporter (Written by)</del>" in changes["bylines"]
    assert "<ins>Bob Lens (Written by)</ins>" in changes["bylines"]
    assert "<del>Draft</del> → <ins>Published</ins>" in changes["status"]


def test_word_diff_escapes_what_editors_typed():
    diff = str(revisions.word_diff("Hello", 'Hello <script>alert("x")</script>'))
    assert "<script>" not in diff
    assert "&lt;script&gt;" in diff


def test_revisions_pages_render_with_diffs(editor_client):
    article = ArticleFactory(title="Council approves budget")
    save_form(editor_client, article, title="Council rejects budget")
    save_form(editor_client, article, standfirst="A late reversal.")

    page = editor_client.get(url("change", article.pk)).content.decode()
    assert url("revisions", article.pk) in page  # the "Revisions" link on the article page

    response = editor_client.get(url("revisions", article.pk))
    assert response.status_code == 200
    page = response.content.decode()
    for version in (1, 2, 3):
        assert url("revision", article.pk, version) in page
    assert f"{url('revisions_compare', article.pk)}?from=1" in page  # with current
    assert f"{url('revisions_compare', article.pk)}?to=2" in page  # with previous
    assert url("revision_revert", article.pk, 1) in page
    assert "csrfmiddlewaretoken" in page

    response = editor_client.get(url("revisions_compare", article.pk) + "?to=2")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<del>approves</del><ins>rejects</ins>" in page
    assert "A late reversal" not in page

    response = editor_client.get(url("revisions_compare", article.pk) + "?from=1")
    page = response.content.decode()
    assert "<del>approves</del><ins>rejects</ins>" in page
    assert "<ins>A late reversal.</ins>" in page

    response = editor_client.get(url("revision", article.pk, 1))
    assert response.status_code == 200
    assert "Council approves budget" in response.content.decode()

    assert editor_client.get(url("revisions_compare", article.pk) + "?to=99").status_code == 404
    assert editor_client.get(url("revisions_compare", article.pk) + "?to=x").status_code == 404


def test_revert_restores_content_bylines_and_tags_as_a_new_revision(editor_client, editor):
    ada, bob = AuthorFactory(name="Ada Reporter"), AuthorFactory(name="Bob Lens")
    politics, rail = TagFactory(name="Politics"), TagFactory(name="Rail")
    photo = ImageFactory()
    article = ArticleFactory(
        title="Council approves budget", authors=[ada], tags=[politics], lead_image=photo
    )
    revisions.record_revision(article, editor)
    published_at = article.published_at

    article.title = "Council rejects budget"
    article.body = "<p>New text.</p>"
    article.lead_image = None
    article.save()
    article.bylines.all().delete()
    ArticleAuthor.objects.create(article=article, author=bob, byline_role="photos-by")
    article.article_tags.all().delete()
    ArticleTag.objects.create(article=article, tag=rail)
    revisions.record_revision(article, editor)
    services.unpublish_article(article, user=editor)  # status is not content: stays a draft

    response = editor_client.post(url("revision_revert", article.pk, 1))
    assert response.status_code == 302

    article.refresh_from_db()
    assert article.title == "Council approves budget"
    assert article.body == ArticleFactory._meta.declarations["body"]
    assert article.lead_image == photo
    assert [(b.author, b.byline_role) for b in article.bylines.all()] == [(ada, "written-by")]
    assert [t.tag for t in article.article_tags.all()] == [politics]
    assert article.status == Article.Status.DRAFT
    assert article.published_at == published_at
    newest = article.revisions.first()
    assert newest.version == article.version == 4
    assert newest.summary == "Reverted to version 1"
    assert newest.created_by == editor
    assert newest.data["title"] == "Council approves budget"


def test_revert_skips_what_no_longer_exists(editor):
    gone_author, kept_author = AuthorFactory(name="Gone Reporter"), AuthorFactory()
    gone_tag, gone_image = TagFactory(name="Gone tag"), ImageFactory(title="Gone photo")
    article = ArticleFactory(
        authors=[gone_author, kept_author],
        tags=[gone_tag],
        body=f'<p>Text.</p><figure data-image-id="{gone_image.pk}"></figure>',
        social_image=gone_image,
        status=Article.Status.DRAFT,
        published_at=None,
    )
    revision = revisions.record_revision(article, editor)
    article.bylines.filter(author=gone_author).delete()
    article.article_tags.all().delete()
    article.body, article.social_image = "<p>Text.</p>", None
    article.save()
    gone_image_id = gone_image.pk
    gone_author.delete()
    gone_tag.delete()
    gone_image.delete()

    result = revisions.revert(article, revision, editor)

    assert [b.author for b in result.article.bylines.all()] == [kept_author]
    assert not result.article.article_tags.exists()
    assert result.article.social_image is None
    assert "data-image-id" not in result.article.body
    assert "<p>Text.</p>" in result.article.body
    text = " ".join(map(str, result.skipped))
    for name in ("Gone Reporter", "Gone tag", "Gone photo", f"#{gone_image_id}"):
        assert name in text


def test_writer_without_edit_rights_cannot_revert(client, writer, editor):
    article = ArticleFactory(title="Published by the desk")  # not the writer's, and published
    revision = revisions.record_revision(article, editor)
    article.title = "Changed"
    article.save()
    client.force_login(writer)

    assert client.get(url("revisions", article.pk)).status_code == 200  # may look
    assert (
        url("revision_revert", article.pk, 1)
        not in client.get(url("revisions", article.pk)).content.decode()
    )
    response = client.post(url("revision_revert", article.pk, revision.version))
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).title == "Changed"
    with pytest.raises(PermissionDenied):
        revisions.revert(article, revision, writer)


def test_revert_is_post_only(editor_client, editor):
    article = ArticleFactory()
    revisions.record_revision(article, editor)
    assert editor_client.get(url("revision_revert", article.pk, 1)).status_code == 405


def test_revisions_list_queries_do_not_grow_with_revisions(
    editor_client, editor, django_assert_num_queries
):
    article = ArticleFactory()
    for _ in range(2):
        article.save()
        revisions.record_revision(article, editor)
    editor_client.get(url("revisions", article.pk))  # warm up session and permission caches

    with CaptureQueriesContext(connection) as few:
        assert editor_client.get(url("revisions", article.pk)).status_code == 200
    for _ in range(20):
        article.save()
        revisions.record_revision(article, editor)
    with django_assert_num_queries(len(few.captured_queries)):
        response = editor_client.get(url("revisions", article.pk))
    assert response.content.decode().count('class="revision"') == 22
    assert ArticleRevision.objects.filter(article=article).count() == 22


def test_a_writer_views_an_article_they_may_not_edit(client, writer):
    """View-only pages carry no version field and still link to the revisions."""
    article = ArticleFactory()
    client.force_login(writer)
    response = client.get(url("change", article.pk))
    assert response.status_code == 200
    assert 'name="base_version"' not in response.content.decode()
    assert "Base version" not in response.content.decode()
    assert url("revisions", article.pk) in response.content.decode()


def test_revert_keeps_the_photo_rules_of_a_published_article(editor, settings):
    """Going back to a text whose photo has since lost its credit would publish it uncredited:
    the revert is refused and changes nothing."""
    settings.IMAGE_CREDIT_REQUIRED = True
    photo = ImageFactory()
    article = ArticleFactory(body=f'<p>Old.</p><figure data-image-id="{photo.pk}"></figure>')
    revision = revisions.record_revision(article, editor)
    article.body = "<p>New.</p>"
    article.save()
    photo.credit = None
    photo.save()

    with pytest.raises(services.NotPublishable):
        revisions.revert(article, revision, editor)
    article.refresh_from_db()
    assert article.body == "<p>New.</p>"
    assert article.revisions.count() == 1
