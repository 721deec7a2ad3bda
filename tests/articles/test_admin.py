"""The article desk in the admin: writing, bylines, publishing, and what cannot be deleted."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleAuthor, Section, Tag
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CorrectionFactory,
    ImageCreditFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

PROTECTED = "would require deleting the following protected related objects"


def url(name, *args):
    return reverse(f"admin:articles_{name}", args=args)


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def article_form(**overrides):
    """The add form as the browser posts it, with empty byline, tag and correction formsets."""
    data = {
        "title": "Floods close the ring road",
        "slug": "floods-close-the-ring-road",
        "standfirst": "Commuters face delays.",
        "body": "<p>Water rose overnight.</p>",
        "lead_image": "",
        "lead_image_caption": "",
        "section": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "unpublish_at_0": "",
        "unpublish_at_1": "",
        "original_publisher": "",
        "original_url": "",
        "canonical_url": "",
        "seo_title": "",
        "seo_description": "",
        **management("bylines", 0),
        **management("article_tags", 0),
        **management("corrections", 0),
        "_save": "Save",
    }
    data.update(overrides)
    return data


def test_pages_render_with_data(admin_client):
    image = ImageFactory()
    tag = TagFactory(name="Transport")
    author = AuthorFactory(name="Ada Reporter")
    article = ArticleFactory(authors=[author], tags=[tag], lead_image=image)
    CorrectionFactory(article=article)
    ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    for model, obj, term in [
        ("article", article, "budget"),
        ("section", article.section, article.section.name),
        ("tag", tag, "transport"),
    ]:
        assert admin_client.get(url(f"{model}_changelist")).status_code == 200
        assert admin_client.get(url(f"{model}_add")).status_code == 200
        assert admin_client.get(url(f"{model}_change", obj.pk)).status_code == 200
        search = admin_client.get(url(f"{model}_changelist"), {"q": term})
        assert search.status_code == 200
        assert obj in search.context["cl"].result_list

    changelist = url("article_changelist")
    for query in [
        {"status__exact": "published"},
        {"section__id__exact": article.section.pk},
        {"tags__id__exact": tag.pk},
        {"authors__id__exact": author.pk},
        {"q": "Ada"},
        {"published_at__year": article.published_at.year},
    ]:
        response = admin_client.get(changelist, query)
        assert response.status_code == 200, query
        assert list(response.context["cl"].result_list) == [article], query


def test_changelist_shows_byline_in_order_and_thumbnail(admin_client):
    first, second = AuthorFactory(name="Zoë First"), AuthorFactory(name="Adam Second")
    ArticleFactory(authors=[first, second], lead_image=ImageFactory())

    content = admin_client.get(url("article_changelist")).content.decode()

    assert "Zoë First, Adam Second" in content
    assert "<img src=" in content


def test_changelist_queries_do_not_grow_with_articles(admin_client):
    def make(count):
        for _ in range(count):
            ArticleFactory(
                authors=[AuthorFactory(), AuthorFactory()],
                tags=[TagFactory(), TagFactory()],
                lead_image=ImageFactory(),
            )

    def queries():
        with CaptureQueriesContext(connection) as context:
            response = admin_client.get(url("article_changelist"))
        assert response.status_code == 200
        return len(context), response.context["cl"].result_count

    make(5)
    few, count = queries()
    assert count == 5
    make(10)
    many, count = queries()
    assert count == 15
    assert many == few


def test_article_is_created_and_published_with_byline_tags_and_lead_image(admin_client):
    first, second = AuthorFactory(name="Second Named"), AuthorFactory(name="First Named")
    tag, section, image = TagFactory(), SectionFactory(), ImageFactory()
    data = article_form(
        body="<p>Water <em>rose</em>.</p><script>alert('x')</script><p onclick='x()'>Hi</p>",
        lead_image=str(image.pk),
        section=str(section.pk),
        status="published",
        published_at_0="2025-03-01",
        published_at_1="09:30:00",
        **management("bylines", 2),
        **{
            "bylines-0-author": str(second.pk),
            "bylines-0-byline_role": "written-by",
            "bylines-0-position": "0",
            "bylines-1-author": str(first.pk),
            "bylines-1-byline_role": "additional-reporting",
            "bylines-1-position": "1",
        },
        **management("article_tags", 1),
        **{"article_tags-0-tag": str(tag.pk)},
    )

    response = admin_client.post(url("article_add"), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    article = Article.objects.get(slug="floods-close-the-ring-road")
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at.isoformat() == "2025-03-01T09:30:00+00:00"
    assert article.lead_image == image and article.section == section
    assert list(article.tags.all()) == [tag]
    bylines = list(article.bylines.order_by("position", "id"))
    assert [(b.author, b.byline_role) for b in bylines] == [
        (second, "written-by"),
        (first, "additional-reporting"),
    ]
    assert "script" not in article.body and "alert" not in article.body
    assert "onclick" not in article.body
    assert article.body == "<p>Water <em>rose</em>.</p><p>Hi</p>"
    assert article.is_public


def test_change_form_lists_byline_by_position(admin_client):
    article = ArticleFactory()
    late, early = AuthorFactory(name="Late Author"), AuthorFactory(name="Early Author")
    ArticleAuthor.objects.create(article=article, author=late, position=5)
    ArticleAuthor.objects.create(article=article, author=early, position=1)

    response = admin_client.get(url("article_change", article.pk))

    byline_formset = response.context["inline_admin_formsets"][0].formset
    assert [form.instance.author for form in byline_formset.initial_forms] == [early, late]


def test_publishing_without_a_publication_time_is_a_form_error(admin_client):
    response = admin_client.post(url("article_add"), article_form(status="published"))

    assert response.status_code == 200
    assert "A published article needs a publication time." in response.content.decode()
    assert not Article.objects.exists()


def test_take_down_before_publication_is_a_form_error(admin_client):
    data = article_form(
        status="published",
        published_at_0="2025-03-01",
        published_at_1="09:30:00",
        unpublish_at_0="2025-02-01",
        unpublish_at_1="09:30:00",
    )

    response = admin_client.post(url("article_add"), data)

    assert response.status_code == 200
    assert "The take-down time must be after the publication time." in response.content.decode()
    assert not Article.objects.exists()


def test_the_same_author_twice_on_a_byline_is_a_form_error(admin_client):
    author = AuthorFactory()
    data = article_form(
        **management("bylines", 2),
        **{
            f"bylines-{i}-{field}": value
            for i in (0, 1)
            for field, value in [
                ("author", str(author.pk)),
                ("byline_role", ["written-by", "photos-by"][i]),
                ("position", str(i)),
            ]
        },
    )

    response = admin_client.post(url("article_add"), data)

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert not Article.objects.exists()


def test_publish_action_publishes_keeps_schedules_and_reports(admin_client):
    future = timezone.now() + timedelta(days=2)
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    scheduled = ArticleFactory(status=Article.Status.REVIEW, published_at=future)
    already = ArticleFactory()
    before = already.published_at

    response = admin_client.post(
        url("article_changelist"),
        {"action": "publish", "_selected_action": [draft.pk, scheduled.pk, already.pk]},
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "2 articles published. 1 of them is scheduled and appears at its publication time."
    ]
    draft.refresh_from_db()
    scheduled.refresh_from_db()
    already.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED and draft.published_at is not None
    assert draft.is_public
    assert scheduled.status == Article.Status.PUBLISHED and scheduled.published_at == future
    assert not scheduled.is_public
    assert already.published_at == before
    history = LogEntry.objects.filter(object_id=str(draft.pk)).get()
    assert history.change_message == "Published with the bulk action."


def test_publish_clears_a_take_down_time_that_has_passed():
    now = timezone.now()
    taken_down = ArticleFactory(
        published_at=now - timedelta(days=3), unpublish_at=now - timedelta(days=1)
    )
    undated = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, unpublish_at=now - timedelta(days=1)
    )

    changed = services.publish_articles(Article.objects.all(), now=now).published

    assert {a.pk for a in changed} == {taken_down.pk, undated.pk}
    for article in (taken_down, undated):
        article.refresh_from_db()
        assert article.unpublish_at is None and article.is_public


def test_unpublish_action_returns_published_articles_to_draft(admin_client):
    published = ArticleFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    response = admin_client.post(
        url("article_changelist"),
        {"action": "unpublish", "_selected_action": [published.pk, draft.pk]},
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["1 article unpublished and returned to draft."]
    published.refresh_from_db()
    assert published.status == Article.Status.DRAFT and not published.is_public
    assert published.published_at is not None


def test_view_on_site_links_public_articles_sections_and_tags(admin_client, settings):
    public, draft = ArticleFactory(tags=[TagFactory()]), ArticleFactory(status="draft")

    content = admin_client.get(url("article_change", public.pk)).content.decode()
    assert f'href="{settings.FRONTEND_URL}/articles/{public.slug}/"' in content
    assert "viewsitelink" not in admin_client.get(url("article_change", draft.pk)).content.decode()
    for model, obj in [("section", public.section), ("tag", public.tags.get())]:
        content = admin_client.get(url(f"{model}_change", obj.pk)).content.decode()
        assert "viewsitelink" in content


@pytest.mark.parametrize("model", ["section", "tag"])
def test_deleting_a_section_or_tag_in_use_is_refused(admin_client, model):
    article = ArticleFactory(title="Budget row deepens", tags=[TagFactory()])
    obj = article.section if model == "section" else article.tags.get()

    page = admin_client.post(url(f"{model}_delete", obj.pk), {"post": "yes"})
    bulk = admin_client.post(
        url(f"{model}_changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )

    for response in (page, bulk):
        assert response.status_code == 200
        content = response.content.decode()
        assert PROTECTED in content and "Budget row deepens" in content
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", [Section, Tag])
def test_deleting_an_unused_section_or_tag_works(admin_client, model):
    one = model.objects.create(name="One", slug="one")
    two = model.objects.create(name="Two", slug="two")
    name = model._meta.model_name

    response = admin_client.post(url(f"{name}_delete", one.pk), {"post": "yes"})
    assert response.status_code == 302
    response = admin_client.post(
        url(f"{name}_changelist"),
        {"action": "delete_selected", "_selected_action": [two.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not model.objects.exists()


def test_deleting_an_article_removes_its_byline_tags_and_corrections(admin_client):
    author, tag = AuthorFactory(), TagFactory()
    article = ArticleFactory(authors=[author], tags=[tag])
    CorrectionFactory(article=article)

    response = admin_client.post(url("article_delete", article.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Article.objects.exists() and not ArticleAuthor.objects.exists()
    assert author.__class__.objects.filter(pk=author.pk).exists() and Tag.objects.exists()


@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name", "term"),
    [
        ("articles", "article", "section", "world"),
        ("articles", "article", "lead_image", "harbour"),
        ("articles", "articletag", "tag", "floods"),
        ("articles", "articleauthor", "author", "lovelace"),
        ("media", "image", "credit", "reuters"),
        ("authors", "author", "avatar", "harbour"),
    ],
)
def test_autocomplete_finds_what_editors_pick(
    admin_client, app_label, model_name, field_name, term
):
    SectionFactory(name="World", slug="world")
    TagFactory(name="Floods", slug="floods")
    AuthorFactory(name="Ada Lovelace")
    ImageFactory(title="Harbour at dawn", credit=ImageCreditFactory(text="Reuters"))

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": app_label, "model_name": model_name, "field_name": field_name},
    )

    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
