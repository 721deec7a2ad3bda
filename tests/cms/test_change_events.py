"""Change events: which changes produce which events, and what they name.

Frontends and CDNs revalidate or purge exactly what an event names, so the ids, slugs, paths
and cache tags must be right, drafts must stay secret, and an event must never exist without
its change (same transaction) or a change without its event.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from strawberry.relay import to_base64

from articles import services
from articles.models import Article, ArticleAuthor, ArticleTag
from cms.events import _PendingEvents, emit_scheduled_events
from cms.models import ChangeEvent
from tests.articles.test_admin import article_form, management
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CorrectionFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def events(since=None):
    """Events written so far (after ``since``, a list of earlier events), oldest first."""
    seen = {event.pk for event in since or []}
    return [e for e in ChangeEvent.objects.order_by("created_at", "id") if e.pk not in seen]


def types(event_list):
    return [event.type for event in event_list]


def draft(**kwargs):
    return ArticleFactory(status=Article.Status.DRAFT, published_at=None, **kwargs)


def committed():
    """The events so far, ending the test's unit of work as a commit ends a request's.

    The whole test runs in one transaction, in which changes to one article merge into one
    event (as the saves of one admin form do); running the events' on-commit bookkeeping
    makes the next change a new event, as the next request's would be.
    """
    for _sids, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _PendingEvents):
            callback()
    return events()


def test_publishing_a_draft_announces_it_with_ids_slugs_paths_and_tags(settings):
    settings.FRONTEND_URL = "https://news.example.org"
    section = SectionFactory(slug="city")
    author = AuthorFactory(slug="ana-diaz")
    before = committed()  # a new section and author are listed at once: those are events
    article = draft(slug="budget-vote", section=section, authors=[author])
    article.tags.add(tag := TagFactory(slug="council"))
    article.title = "Budget vote tonight"
    article.save()
    assert events(before) == []  # a draft, however edited, announces nothing

    services.publish_article(article)

    [event] = events(before)
    assert event.type == "article.published"
    payload = event.payload
    assert payload["id"] == str(event.pk) and payload["type"] == "article.published"
    assert payload["occurred_at"].endswith("Z")
    data = payload["data"]
    assert data["articles"] == [
        {
            "pk": article.pk,
            "id": to_base64("Article", article.pk),
            "slug": "budget-vote",
            "path": "/articles/budget-vote/",
            "url": "https://news.example.org/articles/budget-vote/",
        }
    ]
    assert [ref["slug"] for ref in data["sections"]] == ["city"]
    assert [ref["id"] for ref in data["authors"]] == [to_base64("Author", author.pk)]
    assert [ref["slug"] for ref in data["tags"]] == ["council"]
    assert data["paths"] == [
        "/articles/budget-vote/",
        "/authors/ana-diaz/",
        "/sections/city/",
        "/tags/council/",
    ]
    # Lists of articles gain it, and the tag becomes visible with its first public article.
    assert data["cache_tags"] == [f"article:{article.pk}", "list:articles", "list:tags"]
    assert tag.pk in {ref["pk"] for ref in data["tags"]}


def test_editing_a_public_article_is_an_update_naming_only_that_article():
    article = ArticleFactory(slug="floods")
    before = committed()

    article.title = "Floods close the ring road"
    article.save()

    [event] = events(before)
    assert event.type == "article.updated"
    assert event.payload["data"]["cache_tags"] == [f"article:{article.pk}"]
    assert "/articles/floods/" in event.payload["data"]["paths"]


def test_a_new_slug_names_the_old_path_and_a_new_section_the_old_one():
    old_section, new_section = SectionFactory(slug="old-desk"), SectionFactory(slug="new-desk")
    article = ArticleFactory(slug="first-slug", section=old_section)
    before = committed()

    article.slug, article.section = "second-slug", new_section
    article.save()

    [event] = events(before)
    data = event.payload["data"]
    assert {"/articles/first-slug/", "/articles/second-slug/"} <= set(data["paths"])
    assert {"/sections/old-desk/", "/sections/new-desk/"} <= set(data["paths"])
    assert "list:articles" in data["cache_tags"]  # it moved between lists


def test_unpublishing_announces_the_article_gone():
    article = ArticleFactory(slug="gone-soon")
    before = committed()

    services.unpublish_article(article)

    [event] = events(before)
    assert event.type == "article.unpublished"
    assert event.payload["data"]["articles"][0]["slug"] == "gone-soon"
    assert set(event.payload["data"]["cache_tags"]) >= {f"article:{article.pk}", "list:articles"}


def test_archiving_unpublishes():
    article = ArticleFactory()
    before = committed()

    article.status = Article.Status.ARCHIVED
    article.save()

    assert types(events(before)) == ["article.unpublished"]


def test_deleting_a_public_article_announces_it_and_a_draft_announces_nothing():
    author, tag = AuthorFactory(), TagFactory()
    article = ArticleFactory(slug="to-delete", authors=[author])
    ArticleTag.objects.create(article=article, tag=tag)
    secret = draft(authors=[author])
    before = committed()

    secret.delete()
    assert events(before) == []
    pk = article.pk
    article.delete()

    [event] = events(before)  # the bylines and tags deleted along announce nothing
    assert event.type == "article.deleted"
    data = event.payload["data"]
    assert data["articles"][0] == {
        "pk": pk,
        "id": to_base64("Article", pk),
        "slug": "to-delete",
        "path": "/articles/to-delete/",
        "url": data["articles"][0]["url"],
    }
    assert f"/authors/{author.slug}/" in data["paths"] and f"/tags/{tag.slug}/" in data["paths"]
    assert {f"article:{pk}", "list:articles"} <= set(data["cache_tags"])


def test_republishing_after_unpublish_is_published_again():
    article = ArticleFactory()
    services.unpublish_article(article)
    before = committed()

    services.publish_article(article)

    assert types(events(before)) == ["article.published"]


def test_bylines_tags_and_corrections_of_a_public_article_update_it():
    article = ArticleFactory()
    author, tag = AuthorFactory(slug="new-voice"), TagFactory(slug="floods")
    before = committed()

    with transaction.atomic():
        ArticleAuthor.objects.create(article=article, author=author)
        ArticleTag.objects.create(article=article, tag=tag)
        CorrectionFactory(article=article)

    # One transaction, one event: an admin form saving its inlines is one change.
    [event] = events(before)
    assert event.type == "article.updated"
    data = event.payload["data"]
    assert {"/authors/new-voice/", "/tags/floods/"} <= set(data["paths"])
    assert "list:articles" in data["cache_tags"]  # the author's and tag's lists gained it

    before = committed()
    ArticleTag.objects.filter(article=article, tag=tag).get().delete()
    [removed] = events(before)
    assert "/tags/floods/" in removed.payload["data"]["paths"]  # the tag page listed it


def test_draft_bylines_tags_and_corrections_announce_nothing():
    article, author, tag = draft(), AuthorFactory(), TagFactory()
    before = committed()

    ArticleAuthor.objects.create(article=article, author=author)
    article.tags.add(tag)
    CorrectionFactory(article=article)

    assert events(before) == []


def test_editing_the_author_of_a_public_article_names_the_article():
    author = AuthorFactory(slug="sam-lee")
    ArticleFactory(slug="on-the-byline", authors=[author])
    draft(slug="secret-story", authors=[author])
    before = committed()

    author.name = "Sam Lee-Jones"
    author.save()

    [event] = events(before)
    assert event.type == "author.updated"
    data = event.payload["data"]
    assert data["authors"][0]["id"] == to_base64("Author", author.pk)
    assert [ref["slug"] for ref in data["articles"]] == ["on-the-byline"]
    assert data["cache_tags"] == [f"author:{author.pk}"]
    assert "/articles/secret-story/" not in data["paths"]


def test_an_inactive_author_only_on_drafts_announces_nothing():
    author = AuthorFactory(active=False)
    draft(authors=[author])
    before = committed()

    author.bio = "New bio."
    author.save()

    assert events(before) == []


def test_editing_the_lead_photo_of_a_public_article_names_the_article():
    photo = ImageFactory()
    article = ArticleFactory(slug="with-photo", lead_image=photo)
    draft_photo = ImageFactory()
    draft(lead_image=draft_photo)
    before = committed()

    photo.alt_text = "Flood water on the ring road"
    photo.save()
    draft_photo.alt_text = "Not shown anywhere yet"
    draft_photo.save()

    [event] = events(before)
    assert event.type == "image.updated"
    data = event.payload["data"]
    assert [ref["pk"] for ref in data["images"]] == [photo.pk]
    assert [ref["pk"] for ref in data["articles"]] == [article.pk]
    assert data["cache_tags"] == [f"image:{photo.pk}"]


def test_a_credit_change_names_the_public_photos_using_it():
    photo = ImageFactory()
    ArticleFactory(lead_image=photo)
    before = committed()

    photo.credit.text = "Reuters"
    photo.credit.save()

    [event] = events(before)
    assert event.type == "image.updated"
    assert event.payload["data"]["cache_tags"] == [f"image:{photo.pk}"]


def test_an_authors_portrait_is_shown_on_their_page_and_bylines():
    portrait = ImageFactory()
    author = AuthorFactory(avatar=portrait)
    article = ArticleFactory(authors=[author])
    before = committed()

    portrait.title = "New portrait"
    portrait.save()

    [event] = events(before)
    data = event.payload["data"]
    assert [ref["pk"] for ref in data["authors"]] == [author.pk]
    assert [ref["pk"] for ref in data["articles"]] == [article.pk]


def test_section_and_tag_changes():
    section, tag, unused = SectionFactory(), TagFactory(slug="shown"), TagFactory()
    article = ArticleFactory(section=section)
    ArticleTag.objects.create(article=article, tag=tag)
    before = committed()

    section.name = "City desk"
    section.save()
    tag.name = "Shown tag"
    tag.save()
    unused.name = "Nobody sees this"
    unused.save()

    section_event, tag_event = events(before)
    assert section_event.type == "section.updated"
    assert section_event.payload["data"]["cache_tags"] == [f"section:{section.pk}"]
    assert [ref["pk"] for ref in section_event.payload["data"]["articles"]] == [article.pk]
    assert tag_event.type == "tag.updated"
    assert tag_event.payload["data"]["tags"][0]["slug"] == "shown"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_event():
    article = ArticleFactory()
    before = committed()

    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "Never happened"
        article.save()
        assert types(events(before)) == ["article.updated"]  # written with the change...
        raise RuntimeError("the editor's request failed")

    assert events(before) == []  # ...and gone with it


@pytest.mark.django_db(transaction=True)
def test_the_event_commits_with_the_change():
    article = draft()
    before = events()

    with transaction.atomic():
        services.publish_article(article)

    assert types(events(before)) == ["article.published"]
    assert Article.objects.public().filter(pk=article.pk).exists()


def test_a_scheduled_publication_is_announced_once_when_its_time_comes():
    start = timezone.now()
    section = SectionFactory()
    before = committed()
    article = ArticleFactory(
        slug="embargoed", section=section, published_at=start + timedelta(hours=1)
    )
    assert events(before) == []  # scheduled: not public yet

    with time_machine.travel(start + timedelta(minutes=30)):
        assert emit_scheduled_events() == []
    with time_machine.travel(start + timedelta(hours=2)):
        [event_id] = emit_scheduled_events()
        assert emit_scheduled_events() == []
        call_command("deliver_webhooks", "--once")  # the worker checks too: nothing new

    [event] = events(before)
    assert event.pk == event_id and event.type == "article.published"
    assert event.payload["data"]["articles"][0]["slug"] == "embargoed"

    committed()
    with time_machine.travel(start + timedelta(hours=3)):
        article.title = "Embargo lifted"
        article.save()
    assert types(events(before)) == ["article.published", "article.updated"]


def test_a_take_down_time_is_announced_once_when_it_passes():
    start = timezone.now()
    article = ArticleFactory(unpublish_at=start + timedelta(hours=1))
    before = committed()

    with time_machine.travel(start + timedelta(hours=2)):
        emit_scheduled_events()
        emit_scheduled_events()

    [event] = events(before)
    assert event.type == "article.unpublished"
    assert event.payload["data"]["articles"][0]["pk"] == article.pk


def test_editing_a_scheduled_article_after_its_time_passed_announces_the_publication():
    start = timezone.now()
    section = SectionFactory()
    before = committed()
    article = ArticleFactory(published_at=start + timedelta(minutes=5), section=section)

    with time_machine.travel(start + timedelta(minutes=10)):
        article.title = "Edited after going live, before the worker looked"
        article.save()
        assert types(events(before)) == ["article.published"]
        assert emit_scheduled_events() == []  # already announced

    assert types(events(before)) == ["article.published"]


def test_reconciling_announces_changes_that_bypassed_the_signals():
    """``QuerySet.update()`` sends no signals; ``--reconcile`` compares every article."""
    hidden, shown = draft(slug="bulk-published"), ArticleFactory(slug="bulk-unpublished")
    gone = ArticleFactory(slug="deleted-in-bulk")
    gone_pk = gone.pk
    before = committed()
    Article.objects.filter(pk=hidden.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(days=1)
    )
    Article.objects.filter(pk=shown.pk).update(status=Article.Status.ARCHIVED)
    Article.objects.filter(pk=gone_pk)._raw_delete(using="default")
    assert emit_scheduled_events() == []  # the checkpoint's window sees none of it
    call_command("deliver_webhooks", "--once")
    assert events(before) == []

    call_command("deliver_webhooks", "--once", "--reconcile")

    written = {(e.type, e.payload["data"]["articles"][0]["pk"]) for e in events(before)}
    assert written == {
        ("article.published", hidden.pk),
        ("article.unpublished", shown.pk),
        ("article.deleted", gone_pk),
    }
    call_command("deliver_webhooks", "--once", "--reconcile")
    assert len(events(before)) == 3


def test_publishing_in_the_admin_with_byline_and_tags_is_one_event(admin_client):
    """The admin saves the article, then each byline and tag: readers see one change."""
    author, tag, section = (
        AuthorFactory(slug="desk-writer"),
        TagFactory(slug="roads"),
        SectionFactory(),
    )
    before = committed()

    response = admin_client.post(
        reverse("admin:articles_article_add"),
        article_form(
            slug="ring-road",
            section=str(section.pk),
            status="published",
            published_at_0="2025-03-01",
            published_at_1="09:30:00",
            **management("bylines", 1),
            **{
                "bylines-0-author": str(author.pk),
                "bylines-0-byline_role": "written-by",
                "bylines-0-position": "0",
            },
            **management("article_tags", 1),
            **{"article_tags-0-tag": str(tag.pk)},
        ),
    )

    assert response.status_code == 302
    [event] = events(before)
    assert event.type == "article.published"
    assert {"/articles/ring-road/", "/authors/desk-writer/", "/tags/roads/"} <= set(
        event.payload["data"]["paths"]
    )


def test_reverting_names_the_restored_tags_and_bylines():
    from articles import revisions
    from tests.articles.conftest import staff_in

    editor = staff_in("Editors", "edith")
    tag, author = TagFactory(slug="floods"), AuthorFactory(slug="sam-lee")
    article = ArticleFactory(slug="river-rises", tags=[tag], authors=[author])
    revision = revisions.record_revision(article, editor)
    article.article_tags.all().delete()
    article.bylines.all().delete()
    before = committed()

    revisions.revert(article, revision, editor)

    [event] = events(before)
    assert event.type == "article.updated"
    data = event.payload["data"]
    assert {"/tags/floods/", "/authors/sam-lee/"} <= set(data["paths"])
    assert "list:articles" in data["cache_tags"]  # the tag's and author's lists gained it
