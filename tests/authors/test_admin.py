"""Author profiles in the admin: the "Written By" box editors keep up to date."""

import pytest
from django.urls import reverse

from authors.models import Author
from tests.factories import ArticleFactory, AuthorFactory, AuthorLinkFactory, ImageFactory

pytestmark = pytest.mark.django_db

PROTECTED = "would require deleting the following protected related objects"


def url(name, *args):
    return reverse(f"admin:authors_{name}", args=args)


def test_pages_render_with_data(admin_client):
    author = AuthorFactory(name="Ada Lovelace", location="Leeds", avatar=ImageFactory())
    AuthorLinkFactory(author=author)
    AuthorFactory(name="Retired Writer", active=False)

    assert admin_client.get(url("author_add")).status_code == 200
    assert admin_client.get(url("author_change", author.pk)).status_code == 200
    response = admin_client.get(url("author_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ada Lovelace" in content and "News Reporter" in content and "Leeds" in content
    for query, expected in [
        ({"q": "lovelace"}, ["Ada Lovelace"]),
        ({"active__exact": "0"}, ["Retired Writer"]),
        ({"location": "Leeds"}, ["Ada Lovelace"]),
    ]:
        response = admin_client.get(url("author_changelist"), query)
        assert response.status_code == 200, query
        assert [a.name for a in response.context["cl"].result_list] == expected, query


def test_author_is_created_with_links_in_order(admin_client):
    data = {
        "name": "Grace Hopper",
        "slug": "grace-hopper",
        "role": "Science Editor",
        "location": "New York",
        "bio": "Writes about computing.",
        "avatar": "",
        "active": "on",
        "user": "",
        "links-TOTAL_FORMS": "2",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        "links-0-label": "Newsletter",
        "links-0-url": "https://hopper.example.org/news",
        "links-0-position": "2",
        "links-1-label": "Personal site",
        "links-1-url": "hopper.example.org",
        "links-1-position": "1",
    }

    response = admin_client.post(url("author_add"), data)

    assert response.status_code == 302
    author = Author.objects.get(slug="grace-hopper")
    assert [(link.label, link.url) for link in author.links.all()] == [
        ("Personal site", "https://hopper.example.org"),
        ("Newsletter", "https://hopper.example.org/news"),
    ]


def test_view_on_site_only_for_active_authors(admin_client, settings):
    active, inactive = AuthorFactory(), AuthorFactory(active=False)

    content = admin_client.get(url("author_change", active.pk)).content.decode()
    assert f'href="{settings.FRONTEND_URL}/authors/{active.slug}/"' in content
    content = admin_client.get(url("author_change", inactive.pk)).content.decode()
    assert "viewsitelink" not in content


def test_deleting_an_author_on_a_byline_is_refused(admin_client):
    author = AuthorFactory()
    ArticleFactory(title="Budget row deepens", authors=[author])

    page = admin_client.post(url("author_delete", author.pk), {"post": "yes"})
    bulk = admin_client.post(
        url("author_changelist"),
        {"action": "delete_selected", "_selected_action": [author.pk], "post": "yes"},
    )

    for response in (page, bulk):
        assert response.status_code == 200
        content = response.content.decode()
        assert PROTECTED in content and "Budget row deepens" in content
    assert Author.objects.filter(pk=author.pk).exists()


def test_deleting_an_author_without_articles_works(admin_client):
    one, two = AuthorFactory(), AuthorFactory()
    AuthorLinkFactory(author=one)

    assert admin_client.post(url("author_delete", one.pk), {"post": "yes"}).status_code == 302
    response = admin_client.post(
        url("author_changelist"),
        {"action": "delete_selected", "_selected_action": [two.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Author.objects.exists()
