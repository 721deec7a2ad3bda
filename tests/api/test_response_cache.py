"""The server-side response cache: hits cost no SQL, and no change or scheduled time is hidden."""

import json
import os
from datetime import timedelta

import pytest
import redis
import time_machine
from django.core.cache import cache, caches
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Correction
from articles.preview import make_preview_token
from cms import response_cache
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    AuthorLinkFactory,
    CorrectionFactory,
    ImageCreditFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
)

from .queries import FRONT_PAGE

pytestmark = pytest.mark.django_db

PAGE = """{ articles(first: 10) { totalCount edges { node {
    slug title
    section { name }
    tags { name }
    authors { name links { label } }
    leadImage { altText credit { text } }
    corrections { text }
} } } }"""


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def run(client, query=PAGE, method="post", variables=None):
    if method == "get":
        params = {"query": query}
        if variables:
            params["variables"] = json.dumps(variables)
        response = client.get("/graphql/", params)
    else:
        payload = {"query": query, "variables": variables or {}}
        response = client.post("/graphql/", json.dumps(payload), content_type="application/json")
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def nodes(data):
    return [edge["node"] for edge in data["articles"]["edges"]]


@pytest.fixture
def world():
    credit = ImageCreditFactory(text="Reuters")
    image = ImageFactory(credit=credit, alt_text="A tram")
    author = AuthorFactory(name="Ama Owusu")
    link = AuthorLinkFactory(author=author, label="Newsletter")
    section, tag = SectionFactory(name="City"), TagFactory(name="Transport")
    article = ArticleFactory(
        slug="trams",
        title="Trams return",
        lead_image=image,
        authors=[author],
        section=section,
        tags=[tag],
    )
    correction = CorrectionFactory(article=article, text="First correction.")
    draft = ArticleFactory(slug="draft", status=Article.Status.DRAFT)
    return {
        "credit": credit,
        "image": image,
        "author": author,
        "link": link,
        "section": section,
        "tag": tag,
        "article": article,
        "correction": correction,
        "draft": draft,
    }


def test_a_repeated_query_costs_no_sql(client, world, django_assert_num_queries):
    first = run(client, FRONT_PAGE)
    with django_assert_num_queries(0):
        assert run(client, FRONT_PAGE) == first
        assert run(client, FRONT_PAGE, method="get") == first  # GET and POST share entries


def test_variables_and_operation_names_are_part_of_the_key(client, world):
    query = "query One($s: String!) { article(slug: $s) { slug } }"
    assert run(client, query, variables={"s": "trams"}) == {"article": {"slug": "trams"}}
    assert run(client, query, variables={"s": "draft"}) == {"article": None}


def test_each_host_and_scheme_keeps_its_own_image_urls(client, world, settings):
    """Server-side rendering may call the API on an internal name while browsers use the public
    one: a cached answer must never hand one the other's image URLs."""
    settings.ALLOWED_HOSTS = ["api.example.org", "cms.internal"]
    query = "{ articles(first: 1) { edges { node { leadImage { url } } } } }"

    def image_url(**request):
        response = client.get("/graphql/", {"query": query}, **request)
        return response.json()["data"]["articles"]["edges"][0]["node"]["leadImage"]["url"]

    assert image_url(HTTP_HOST="cms.internal").startswith("http://cms.internal/images/")
    public = image_url(HTTP_HOST="api.example.org", secure=True)
    assert public.startswith("https://api.example.org/images/")
    assert image_url(HTTP_HOST="api.example.org").startswith("http://api.example.org/")


def _edit(instance, **changes):
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.save()


CHANGES = {
    "article edited": (
        lambda w: _edit(w["article"], title="Trams are back"),
        lambda page: page[0]["title"] == "Trams are back",
    ),
    "draft published": (
        lambda w: _edit(w["draft"], status=Article.Status.PUBLISHED, published_at=timezone.now()),
        lambda page: page[0]["slug"] == "draft",
    ),
    "article unpublished": (
        lambda w: _edit(w["article"], status=Article.Status.DRAFT),
        lambda page: page == [],
    ),
    "article deleted": (lambda w: w["article"].delete(), lambda page: page == []),
    "author edited": (
        lambda w: _edit(w["author"], name="Ama Owusu-Bekoe"),
        lambda page: page[0]["authors"][0]["name"] == "Ama Owusu-Bekoe",
    ),
    "author link edited": (
        lambda w: _edit(w["link"], label="Podcast"),
        lambda page: page[0]["authors"][0]["links"] == [{"label": "Podcast"}],
    ),
    "byline added": (
        lambda w: ArticleAuthor.objects.create(
            article=w["article"], author=AuthorFactory(name="Ben Ito"), position=1
        ),
        lambda page: [a["name"] for a in page[0]["authors"]] == ["Ama Owusu", "Ben Ito"],
    ),
    "image edited": (
        lambda w: _edit(w["image"], alt_text="A tram at dusk"),
        lambda page: page[0]["leadImage"]["altText"] == "A tram at dusk",
    ),
    "credit edited": (
        lambda w: _edit(w["credit"], text="Reuters/Ana Ruiz"),
        lambda page: page[0]["leadImage"]["credit"]["text"] == "Reuters/Ana Ruiz",
    ),
    "section edited": (
        lambda w: _edit(w["section"], name="Metro"),
        lambda page: page[0]["section"]["name"] == "Metro",
    ),
    "tag edited": (
        lambda w: _edit(w["tag"], name="Trams"),
        lambda page: page[0]["tags"] == [{"name": "Trams"}],
    ),
    "tag added to an article": (
        lambda w: w["article"].tags.add(TagFactory(name="Budget")),
        lambda page: sorted(t["name"] for t in page[0]["tags"]) == ["Budget", "Transport"],
    ),
    "tag taken off an article": (
        lambda w: w["article"].tags.remove(w["tag"]),
        lambda page: page[0]["tags"] == [],
    ),
    "correction added": (
        lambda w: Correction.objects.create(
            article=w["article"], date=timezone.now(), text="Second correction."
        ),
        lambda page: len(page[0]["corrections"]) == 2,
    ),
    "correction deleted": (
        lambda w: w["correction"].delete(),
        lambda page: page[0]["corrections"] == [],
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_kind_of_change_reaches_readers_at_once(client, world, change):
    apply, shows = CHANGES[change]
    before = nodes(run(client))
    assert not shows(before)
    apply(world)
    assert shows(nodes(run(client)))


def test_changes_are_seen_after_commit_too(client, world, django_capture_on_commit_callbacks):
    """The version is renewed again once the change commits (a reader may have cached the old
    content while the transaction was open)."""
    run(client)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _edit(world["article"], title="Trams are back")
    during = cache.get(response_cache.VERSION_KEY)
    run(client)  # what a reader caches while the change is not committed yet
    assert callbacks
    for callback in callbacks:
        callback()
    assert cache.get(response_cache.VERSION_KEY)[0] != during[0]
    assert nodes(run(client))[0]["title"] == "Trams are back"


def test_a_scheduled_article_appears_at_its_time_through_the_cache(
    client, world, settings, django_assert_num_queries
):
    settings.GRAPHQL_RESPONSE_CACHE_TIMEOUT = 24 * 60 * 60  # entries outlive the schedule
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        ArticleFactory(slug="at-noon", published_at=start + timedelta(hours=1))
        run(client)
        with django_assert_num_queries(0):
            assert [n["slug"] for n in nodes(run(client))] == ["trams"]
        clock.move_to(start + timedelta(minutes=59))
        with django_assert_num_queries(0):
            assert [n["slug"] for n in nodes(run(client))] == ["trams"]
        clock.move_to(start + timedelta(hours=1, seconds=1))
        assert [n["slug"] for n in nodes(run(client))] == ["at-noon", "trams"]


def test_a_take_down_time_is_honoured_through_the_cache(client, world):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        _edit(world["article"], unpublish_at=start + timedelta(hours=2))
        assert [n["slug"] for n in nodes(run(client))] == ["trams"]
        clock.move_to(start + timedelta(hours=2, seconds=1))
        assert nodes(run(client)) == []


def test_scheduled_times_are_found_when_the_version_is_lost(client, world):
    """An emptied cache (a restart, an eviction) looks the next scheduled time up again."""
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        ArticleFactory(slug="later", published_at=start + timedelta(hours=1))
        cache.clear()
        assert len(nodes(run(client))) == 1
        clock.move_to(start + timedelta(hours=1, seconds=1))
        assert len(nodes(run(client))) == 2


def test_staff_and_previews_bypass_the_cache(client, world, django_user_model):
    run(client)
    client.force_login(django_user_model.objects.create_user("editor", is_staff=True))
    response = client.post(
        "/graphql/", json.dumps({"query": PAGE}), content_type="application/json"
    )
    assert response["Cache-Control"] == "private, no-store"
    client.logout()

    query = 'query($t: String) { article(slug: "draft", previewToken: $t) { slug } }'
    token = make_preview_token(world["draft"])
    assert run(client, query, variables={"t": token}) == {"article": {"slug": "draft"}}
    key = response_cache.entry_key(query, {"t": token}, None, response_cache.current_version())
    assert cache.get(key) is None


def test_errors_are_not_cached(client, world):
    query = "{ articles(first: 1000) { totalCount } }"
    client.post("/graphql/", json.dumps({"query": query}), content_type="application/json")
    key = response_cache.entry_key(query, {}, None, response_cache.current_version())
    assert cache.get(key) is None


def test_the_cache_can_be_switched_off(client, world, settings, django_assert_max_num_queries):
    settings.GRAPHQL_RESPONSE_CACHE = False
    run(client)
    with django_assert_max_num_queries(10) as queries:
        run(client)
    assert len(queries) > 0


# -- Redis -----------------------------------------------------------------------------------

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


# A key prefix of this process's own, so test runs side by side never see each other's keys.
PREFIX = f"test-response-cache-{os.getpid()}"


def _forget_keys(client):
    for key in client.scan_iter(f"{PREFIX}:*"):
        client.delete(key)


@pytest.fixture
def redis_cache(settings):
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not running at {REDIS_URL}")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": PREFIX,
        }
    }
    _forget_keys(client)
    yield client
    _forget_keys(client)


def test_the_redis_cache_path(client, world, redis_cache, django_assert_num_queries):
    first = run(client, FRONT_PAGE)
    keys = {key.decode() for key in redis_cache.keys(f"{PREFIX}:*")}
    assert any(key.endswith(response_cache.VERSION_KEY) for key in keys)
    assert any(":graphql:response:" in key for key in keys)
    with django_assert_num_queries(0):
        assert run(client, FRONT_PAGE) == first
    _edit(world["article"], title="Trams are back")
    assert nodes(run(client))[0]["title"] == "Trams are back"


def test_redis_shares_the_version_between_app_servers(client, world, redis_cache):
    """A change saved on another app server reaches this one's readers at once."""
    run(client)
    other_server = caches.create_connection("default")  # its own connection to the same Redis
    Article.objects.filter(pk=world["article"].pk).update(title="Changed elsewhere")
    other_server.set(response_cache.VERSION_KEY, ("renewed-elsewhere", None), None)
    assert nodes(run(client))[0]["title"] == "Changed elsewhere"
