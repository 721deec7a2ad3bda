"""Author profiles and their links."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from authors.models import Author, AuthorLink
from tests.factories import AuthorFactory, AuthorLinkFactory, ImageFactory

pytestmark = pytest.mark.django_db


def test_author_slugs_are_unique():
    AuthorFactory(slug="mara-okafor")
    with pytest.raises(ValidationError) as excinfo:
        Author(name="Another Mara", slug="mara-okafor").full_clean()
    assert "slug" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Author.objects.create(name="Another Mara", slug="mara-okafor")


def test_active_lists_only_active_authors():
    active = AuthorFactory(active=True)
    AuthorFactory(active=False)
    assert list(Author.objects.active()) == [active]


def test_authors_are_listed_by_name():
    AuthorFactory(name="Zora"), AuthorFactory(name="Abe")
    assert [a.name for a in Author.objects.all()] == ["Abe", "Zora"]


def test_links_are_ordered_by_position():
    author = AuthorFactory()
    second = AuthorLinkFactory(author=author, label="Newsletter", position=2)
    first = AuthorLinkFactory(author=author, label="Personal site", position=1)
    assert list(author.links.all()) == [first, second]


def test_link_urls_are_validated():
    link = AuthorLink(author=AuthorFactory(), label="Site", url="not a url")
    with pytest.raises(ValidationError) as excinfo:
        link.full_clean()
    assert "url" in excinfo.value.message_dict


def test_deleting_an_author_removes_their_links():
    author = AuthorFactory()
    AuthorLinkFactory(author=author)
    author.delete()
    assert not AuthorLink.objects.exists()


def test_deleting_a_portrait_in_use_is_refused():
    portrait = ImageFactory()
    author = AuthorFactory(avatar=portrait)
    with pytest.raises(ProtectedError) as excinfo:
        portrait.delete()
    assert author in excinfo.value.protected_objects


def test_path_and_url(settings):
    settings.FRONTEND_URL = "https://news.example.org"
    author = AuthorFactory(slug="mara-okafor")
    assert author.path == "/authors/mara-okafor/"
    assert author.get_absolute_url() == "https://news.example.org/authors/mara-okafor/"


def test_str_of_each_model():
    author = AuthorFactory(name="Mara Okafor")
    link = AuthorLinkFactory(author=author, label="Mastodon", url="https://social.example/@m")
    assert str(author) == "Mara Okafor"
    assert str(link) == "Mastodon: https://social.example/@m"
