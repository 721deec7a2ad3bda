"""Credit policy: an article is not published while its lead photo, or any photo in its body,
lacks alt text or a credit; and a photo that published articles show keeps both."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article
from media.models import Image
from tests.articles.formdata import form_data
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


# -- Photos in the body -----------------------------------------------------------------------


def figures(*images):
    return "".join(f'<figure data-image-id="{image.pk}"></figure>' for image in images)


def body_with(*images):
    return "<p>Before.</p>" + figures(*images) + "<p>After.</p>"


def test_publishing_refuses_incomplete_photos_in_the_body_and_names_each():
    fine = ImageFactory(title="Quay")
    no_credit = ImageFactory(title="Crane", credit=None)
    no_alt = ImageFactory(title="Ferry", alt_text=" ")
    article = draft(
        ImageFactory(title="Lead", credit=None), body=body_with(fine, no_credit, no_alt)
    )

    with pytest.raises(services.NotPublishable) as excinfo:
        services.publish_article(article)

    assert excinfo.value.messages == [
        "The lead photo “Lead” needs a credit before the article can be published.",
        "The photo “Crane” in the body needs a credit before the article can be published.",
        "The photo “Ferry” in the body needs alt text before the article can be published.",
    ]
    assert [p.image for p in excinfo.value.problems] == [article.lead_image, no_credit, no_alt]
    assert Article.objects.get().status == Article.Status.DRAFT


def test_the_body_photos_are_looked_up_in_one_query(django_assert_num_queries):
    images = [ImageFactory(credit=None) for _ in range(8)]

    with django_assert_num_queries(1):
        problems = services.photo_problems(None, body_with(*images))

    assert [problem.image for problem in problems] == images


def test_the_form_refuses_to_publish_with_an_incomplete_photo_in_the_body(admin_client):
    ready, bad = ImageFactory(title="Quay"), ImageFactory(title="Crane at dusk", credit=None)
    data = article_form(
        body=body_with(ready, bad),
        status="published",
        published_at_0="2025-03-01",
        published_at_1="09:30:00",
    )

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors == [
        "The photo “Crane at dusk” in the body needs a credit before the article can be "
        "published. "
        f'<a href="{reverse("admin:media_image_change", args=[bad.pk])}" target="_blank">'
        "Edit the photo</a>"
    ]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        # Two parsers could disagree on which id a figure has, or on what is a comment: the
        # check reads the body as it will be stored.
        '<figure data-image-id="{bad}" data-image-id="{ready}"></figure>',
        '<!--><figure data-image-id="{bad}"></figure>-->',
    ],
)
def test_the_form_checks_the_photos_of_the_body_as_it_will_be_stored(admin_client, body):
    ready, bad = ImageFactory(title="Quay"), ImageFactory(title="Crane at dusk", credit=None)
    data = article_form(
        body=body.format(bad=bad.pk, ready=ready.pk),
        status="published",
        published_at_0="2025-03-01",
        published_at_1="09:30:00",
    )

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    assert "Crane at dusk" in str(response.context["adminform"].form.non_field_errors())
    assert not Article.objects.exists()


def test_the_form_publishes_when_every_photo_in_the_body_is_complete(admin_client):
    data = article_form(
        body=body_with(ImageFactory(), ImageFactory()),
        status="published",
        published_at_0="2025-03-01",
        published_at_1="09:30:00",
    )

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert Article.objects.get().is_public


def test_photo_problems_and_unknown_photos_in_the_body_are_both_reported(admin_client):
    bad = ImageFactory(credit=None)
    data = article_form(
        body=body_with(bad) + '<figure data-image-id="987654"></figure>',
        status="published",
        published_at_0="2025-03-01",
        published_at_1="09:30:00",
    )

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    form = response.context["adminform"].form
    assert form.errors["body"] == [
        "The body shows photos that are not in the library (ids 987654); remove them or choose "
        "other photos."
    ]
    assert "“" + bad.title + "” in the body needs a credit" in form.non_field_errors()[0]
    assert not Article.objects.exists()


def test_the_bulk_action_skips_an_article_with_an_incomplete_photo_in_the_body(admin_client):
    ready = draft(None, title="Trams return", body=body_with(ImageFactory()))
    blocked_image = ImageFactory(title="Depot at night", alt_text="")
    blocked = draft(None, title="Strike ends", body=body_with(blocked_image))

    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [ready.pk, blocked.pk]},
        follow=True,
    )

    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert notes[0] == "1 article published."
    assert "“Strike ends”: The photo “Depot at night” in the body needs alt text" in notes[1]
    assert reverse("admin:media_image_change", args=[blocked_image.pk]) in notes[1]
    statuses = dict(Article.objects.values_list("title", "status"))
    assert statuses == {"Trams return": "published", "Strike ends": "draft"}


# -- The photo library keeps what published articles need -------------------------------------


def image_form(client, image, **changes):
    """Post the photo's change form as shown, with ``changes``."""
    url = reverse("admin:media_image_change", args=[image.pk])
    data = form_data(client.get(url).content, form_id="image_form")
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, data)


@pytest.mark.parametrize("use", ["lead", "inline"])
@pytest.mark.parametrize(
    ("field", "value", "keeps"), [("credit", "", "its credit"), ("alt_text", "  ", "its alt text")]
)
def test_the_photo_form_refuses_to_clear_what_a_published_article_needs(
    admin_client, use, field, value, keeps
):
    image = ImageFactory(title="Harbour at dawn")
    if use == "lead":
        ArticleFactory(title="Ferries return", lead_image=image)
    else:
        ArticleFactory(title="Ferries return", body=body_with(image))
    before = (image.alt_text, image.credit_id)

    response = image_form(admin_client, image, **{field: value})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors[field]
    assert errors == [
        f"The published article “Ferries return” shows this photo, so it keeps {keeps}. "
        "Use another photo there or unpublish the article first."
    ]
    image.refresh_from_db()
    assert (image.alt_text, image.credit_id) == before


def test_the_photo_form_names_several_articles(admin_client):
    image = ImageFactory()
    for title in ["Alpha", "Bravo", "Charlie", "Delta"]:
        ArticleFactory(title=title, lead_image=image)

    response = image_form(admin_client, image, credit="")

    assert (
        response.context["adminform"]
        .form.errors["credit"][0]
        .startswith("The published articles “Alpha”, “Bravo”, “Charlie” and others show this photo")
    )


def test_the_photo_form_clears_a_credit_no_published_article_needs(admin_client, settings):
    used_by_draft = ImageFactory()
    draft(used_by_draft, body=body_with(used_by_draft))
    taken_down = ImageFactory()
    ArticleFactory(lead_image=taken_down, unpublish_at=timezone.now() - timedelta(minutes=1))
    published = ImageFactory()
    ArticleFactory(lead_image=published)

    for image in (used_by_draft, taken_down):
        assert image_form(admin_client, image, credit="").status_code == 302
    settings.IMAGE_CREDIT_REQUIRED = False
    assert image_form(admin_client, published, credit="").status_code == 302
    assert not Image.objects.filter(credit__isnull=False).exists()


def test_the_photo_form_still_saves_other_changes_of_a_published_photo(admin_client):
    image = ImageFactory()
    ArticleFactory(lead_image=image)

    assert image_form(admin_client, image, title="Renamed").status_code == 302
    image.refresh_from_db()
    assert image.title == "Renamed" and image.credit_id is not None
