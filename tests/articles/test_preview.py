"""Preview: a signed, expiring link from the admin shows one article's draft to the frontend."""

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import preview
from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, TagFactory

pytestmark = pytest.mark.django_db

PREVIEW_QUERY = """
query Preview($slug: String!, $token: String) {
  article(slug: $slug, previewToken: $token) {
    title status standfirst bodyHtml
    tags { name slug }
    authors { name }
    byline { role author { name } }
  }
}
"""


def post(client, slug, token):
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": PREVIEW_QUERY, "variables": {"slug": slug, "token": token}}),
        content_type="application/json",
    )
    return response, response.json()


@pytest.fixture
def draft():
    article = ArticleFactory(
        slug="takeover-talks",
        title="Takeover talks",
        status=Article.Status.DRAFT,
        published_at=None,
        body="<p>Not yet public.</p>",
        authors=[AuthorFactory(name="Ama Owusu")],
        tags=[TagFactory(name="Mergers", slug="mergers")],
    )
    return article


def test_valid_token_shows_the_drafts_current_content_privately(client, draft):
    token = preview.make_preview_token(draft)
    draft.title = "Takeover talks collapse"
    draft.save()

    response, body = post(client, "takeover-talks", token)

    assert "errors" not in body, body
    data = body["data"]["article"]
    assert data["title"] == "Takeover talks collapse", "the current content, not the token's time"
    assert data["status"] == "DRAFT"
    assert "Not yet public." in data["bodyHtml"]
    # A tag used only by this draft and the byline resolve as on a published article.
    assert data["tags"] == [{"name": "Mergers", "slug": "mergers"}]
    assert data["authors"] == [{"name": "Ama Owusu"}]
    assert data["byline"] == [{"role": "WRITTEN_BY", "author": {"name": "Ama Owusu"}}]
    assert response["Cache-Control"] == "private, no-store"
    assert response.wsgi_request.graphql_private is True


@pytest.mark.parametrize(
    "status",
    [Article.Status.REVIEW, Article.Status.ARCHIVED, Article.Status.PUBLISHED],
)
def test_token_works_in_every_status(client, status):
    future = timezone.now() + timedelta(days=2)
    article = ArticleFactory(slug="scheduled", status=status, published_at=future)
    _response, body = post(client, "scheduled", preview.make_preview_token(article))
    assert body["data"]["article"]["status"] == status.name


def test_hidden_article_without_token_stays_null(client, draft):
    response, body = post(client, "takeover-talks", None)
    assert body == {"data": {"article": None}}
    assert "private" not in response.get("Cache-Control", "")


def test_draft_tags_stay_hidden_without_a_token(client, draft):
    """A preview opens one article for one request; the tag list does not leak the draft."""
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": '{ tag(slug: "mergers") { name } }'}),
        content_type="application/json",
    )
    assert response.json() == {"data": {"tag": None}}


def assert_invalid(body, message_part):
    assert body["data"] == {"article": None}
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "INVALID_PREVIEW_TOKEN"
    assert error["path"] == ["article"]
    assert message_part in error["message"]


def test_wrong_token_is_an_error(client, draft):
    token = preview.make_preview_token(draft)
    response, body = post(client, "takeover-talks", token[:-2] + "xx")
    assert_invalid(body, "not valid")
    assert response["Cache-Control"] == "private, no-store"
    _response, body = post(client, "takeover-talks", "")
    assert_invalid(body, "not valid")


def test_token_signed_for_another_purpose_is_wrong(client, draft):
    """The salt binds tokens to previews: the same key's other signatures do not pass."""
    from django.core import signing

    forged = signing.TimestampSigner(salt="something-else").sign(str(draft.pk))
    _response, body = post(client, "takeover-talks", forged)
    assert_invalid(body, "not valid")


def test_expired_token_is_an_error(client, draft, settings):
    settings.PREVIEW_TOKEN_MAX_AGE = 600
    with time_machine.travel(timezone.now() - timedelta(seconds=601), tick=False):
        token = preview.make_preview_token(draft)
    _response, body = post(client, "takeover-talks", token)
    assert_invalid(body, "expired")

    with time_machine.travel(timezone.now() - timedelta(seconds=590), tick=False):
        token = preview.make_preview_token(draft)
    _response, body = post(client, "takeover-talks", token)
    assert body["data"]["article"]["title"] == "Takeover talks"


def test_other_articles_token_is_an_error(client, draft):
    other = ArticleFactory(slug="other-draft", status=Article.Status.DRAFT, published_at=None)
    _response, body = post(client, "takeover-talks", preview.make_preview_token(other))
    assert_invalid(body, "another article")
    # ...even when the article asked for is public: the token does not fit it.
    ArticleFactory(slug="public-one")
    _response, body = post(client, "public-one", preview.make_preview_token(other))
    assert_invalid(body, "another article")


def test_a_token_does_not_tell_missing_slugs_from_hidden_ones(client, draft):
    """Whoever holds one preview link cannot probe which other drafts exist."""
    ArticleFactory(slug="secret-takeover", status=Article.Status.DRAFT, published_at=None)
    token = preview.make_preview_token(draft)
    _response, hidden = post(client, "secret-takeover", token)
    _response, missing = post(client, "no-such-article", token)
    assert_invalid(hidden, "another article")
    assert_invalid(missing, "another article")
    assert hidden == missing


def test_token_survives_a_slug_change(client, draft):
    token = preview.make_preview_token(draft)
    draft.slug = "talks-collapse"
    draft.save()
    _response, body = post(client, "talks-collapse", token)
    assert body["data"]["article"]["title"] == "Takeover talks"


def test_admin_preview_button_opens_a_working_preview(admin_client, client, draft, settings):
    settings.PREVIEW_URL = "https://www.example.org/api/preview?slug={slug}&token={token}"
    page = admin_client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    assert page.status_code == 200
    url = page.context["preview_url"]
    assert url.startswith("https://www.example.org/api/preview?slug=takeover-talks&token=")
    html = page.content.decode()
    assert 'class="preview-link"' in html
    assert 'target="_blank"' in html

    query = parse_qs(urlsplit(url).query)
    _response, body = post(client, query["slug"][0], query["token"][0])
    assert body["data"]["article"]["title"] == "Takeover talks"


def test_admin_add_page_has_no_preview(admin_client):
    page = admin_client.get(reverse("admin:articles_article_add"))
    assert page.status_code == 200
    assert "preview_url" not in page.context


def test_preview_url_setting_with_an_unknown_placeholder_is_refused_at_start():
    """A typo in PREVIEW_URL stops the process with one clear line, not a broken admin page."""
    from tests.cms.test_settings import manage

    result = manage("check", DEBUG="true", PREVIEW_URL="https://www.example.org/p?id={id}")
    assert result.returncode != 0
    assert "PREVIEW_URL may contain {slug}, {path} and {token}" in result.stderr
    assert "Traceback" not in result.stderr
    result = manage("check", DEBUG="true", PREVIEW_URL="https://www.example.org{path}?t={token}")
    assert result.returncode == 0, result.stderr


def test_previews_by_get_are_never_cached_publicly(client, draft):
    """GET requests are what caches store: a preview's answer must not be one of them."""
    token = preview.make_preview_token(draft)

    def get(token):
        variables = json.dumps({"slug": "takeover-talks", "token": token})
        return client.get("/graphql/", {"query": PREVIEW_QUERY, "variables": variables})

    previewed = get(token)
    assert previewed.json()["data"]["article"]["title"] == "Takeover talks"
    assert previewed["Cache-Control"] == "private, no-store"
    # The same document without a token, right after: the public answer, not the stored draft.
    public = get(None)
    assert public.json() == {"data": {"article": None}}
    assert get(token[:-1] + "x")["Cache-Control"] == "private, no-store"
