"""GraphQL over HTTP: methods, media types, status codes, and the caching headers of responses."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from articles.models import Article
from articles.preview import make_preview_token
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageCreditFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
)

from .queries import FRONT_PAGE

pytestmark = pytest.mark.django_db

GRAPHQL_RESPONSE = "application/graphql-response+json"
SLUGS = "{ articles { edges { node { slug } } } }"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def get(client, query, accept=None, **params):
    headers = {"accept": accept} if accept else {}
    return client.get("/graphql/", {"query": query, **params}, headers=headers)


def post(client, payload, accept=None, content_type="application/json"):
    headers = {"accept": accept} if accept else {}
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.post("/graphql/", body, content_type=content_type, headers=headers)


def code(response):
    return response.json()["errors"][0]["extensions"]["code"]


def test_query_by_get_and_by_post(client):
    ArticleFactory(slug="one")
    expected = {"data": {"articles": {"edges": [{"node": {"slug": "one"}}]}}}
    by_get = get(client, SLUGS)
    by_post = post(client, {"query": SLUGS})
    assert by_get.status_code == by_post.status_code == 200
    assert by_get.json() == by_post.json() == expected
    assert by_get["Content-Type"] == by_post["Content-Type"] == "application/json"


def test_variables_and_operation_name_by_get(client):
    ArticleFactory(slug="one")
    document = "query A($s: String!) { article(slug: $s) { slug } } query B { sections { slug } }"
    response = get(client, document, variables=json.dumps({"s": "one"}), operationName="A")
    assert response.json() == {"data": {"article": {"slug": "one"}}}


def test_graphql_response_media_type_when_asked(client):
    ArticleFactory(slug="one")
    response = get(client, SLUGS, accept=f"{GRAPHQL_RESPONSE}, application/json;q=0.9")
    assert response.status_code == 200
    assert response["Content-Type"] == GRAPHQL_RESPONSE
    assert response.json()["data"]["articles"]["edges"] == [{"node": {"slug": "one"}}]
    assert "Accept" in response["Vary"]


@pytest.mark.parametrize(
    ("document", "expected_code"),
    [
        ("{ articles { edges { node { slug } }", "GRAPHQL_PARSE_FAILED"),
        ("{ articles { edges { node { password } } } }", "GRAPHQL_VALIDATION_FAILED"),
        ("query($n: Int) { articles(first: $n) { totalCount } }", None),
    ],
)
def test_documents_that_cannot_run(client, document, expected_code):
    """The new media type says 400 and has no `data`; plain JSON keeps the legacy 200."""
    variables = {"n": "many"} if expected_code is None else {}
    new = post(client, {"query": document, "variables": variables}, accept=GRAPHQL_RESPONSE)
    assert new.status_code == 400
    assert new["Content-Type"] == GRAPHQL_RESPONSE
    assert "data" not in new.json()
    legacy = post(client, {"query": document, "variables": variables})
    assert legacy.status_code == 200
    assert legacy.json()["data"] is None
    if expected_code:
        assert code(new) == code(legacy) == expected_code


def test_field_errors_keep_data_and_status_200(client):
    """A resolver's error is part of a response that ran: 200 with partial data, either way."""
    response = post(
        client,
        {"query": '{ node(id: "bm90IGFuIGlk") { id } sections { slug } }'},
        accept=GRAPHQL_RESPONSE,
    )
    body = response.json()
    assert response.status_code == 200
    assert body["data"] == {"node": None, "sections": []}
    assert code(response) == "BAD_USER_INPUT"


def test_mutation_by_get_is_refused_with_405(client):
    response = get(client, 'mutation Publish { publish(slug: "x") { slug } }')
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert code(response) == "METHOD_NOT_ALLOWED"
    assert "POST" in response.json()["errors"][0]["message"]
    # The selected operation decides: a query next to a mutation may still use GET.
    both = "query Q { sections { slug } } mutation M { publish { slug } }"
    assert get(client, both, operationName="Q").status_code == 200
    assert get(client, both, operationName="M").status_code == 405


def test_several_operations_without_an_operation_name_are_400(client):
    """The GraphQL spec: with several operations the client names one; none is guessed."""
    document = "query A { articles { totalCount } } query B { sections { slug } }"
    new = post(client, {"query": document}, accept=GRAPHQL_RESPONSE)
    assert new.status_code == 400
    assert new["Content-Type"] == GRAPHQL_RESPONSE
    assert "data" not in new.json()
    assert code(new) == "BAD_REQUEST"
    assert "operationName" in new.json()["errors"][0]["message"]
    legacy = get(client, document)
    assert legacy.status_code == 400  # as every request refused before it runs
    assert legacy["Content-Type"] == "application/json"
    assert code(legacy) == "BAD_REQUEST"
    assert legacy["Cache-Control"] == "no-store"
    named = post(client, {"query": document, "operationName": "B"}, accept=GRAPHQL_RESPONSE)
    assert named.json() == {"data": {"sections": []}}


def test_mutation_by_post_reaches_the_schema(client):
    response = post(client, {"query": "mutation { publish { slug } }"}, accept=GRAPHQL_RESPONSE)
    assert response.status_code == 400  # this schema has no mutations yet
    assert response.json()["errors"]


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_get_405_with_allow(client, method):
    response = getattr(client, method)("/graphql/", "{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert code(response) == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"],
)
def test_wrong_content_type_is_415(client, content_type):
    response = post(client, "query={ sections { slug } }", content_type=content_type)
    assert response.status_code == 415
    assert response["Content-Type"] == "application/json"
    assert code(response) == "UNSUPPORTED_MEDIA_TYPE"
    assert "application/json" in response.json()["errors"][0]["message"]


def test_json_with_charset_is_accepted(client):
    response = post(
        client, {"query": "{ sections { slug } }"}, content_type="application/json; charset=utf-8"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    ['{"query": "{ sections { slug } }"', "\xff\xfe", '"just a string"', '{"query": 5}'],
)
def test_malformed_bodies_are_400(client, body):
    response = post(client, body)
    assert response.status_code == 400
    assert code(response) == "BAD_REQUEST"


def test_malformed_variables_by_get_are_400(client):
    response = get(client, SLUGS, variables="{nope")
    assert response.status_code == 400
    assert "variables" in response.json()["errors"][0]["message"]


def test_missing_query_is_400(client):
    assert post(client, {"variables": {}}).status_code == 400
    assert client.get("/graphql/", {"variables": "{}"}).status_code == 400


def test_batches_are_refused(client):
    response = post(client, [{"query": "{ sections { slug } }"}] * 2)
    assert response.status_code == 400
    assert code(response) == "BATCHING_NOT_SUPPORTED"


def test_body_size_is_bounded(client, settings):
    settings.GRAPHQL_MAX_BODY_BYTES = 1000
    padded = {"query": "{ sections { slug } }" + " " * 2000}
    response = post(client, padded)
    assert response.status_code == 413
    assert code(response) == "PAYLOAD_TOO_LARGE"
    assert post(client, {"query": "{ sections { slug } }"}).status_code == 200


def test_unacceptable_media_type_is_406(client):
    response = get(client, SLUGS, accept="text/xml")
    assert response.status_code == 406


def test_anonymous_posts_need_no_csrf_token():
    """The API serves anonymous frontends: no cookie, no token."""
    client = Client(enforce_csrf_checks=True)
    ArticleFactory(slug="one")
    assert post(client, {"query": SLUGS}).status_code == 200


def test_a_staff_session_shows_nothing_more(client, django_user_model):
    """The session never grants anything here: drafts need a preview token, even for staff."""
    ArticleFactory(slug="draft", status=Article.Status.DRAFT)
    staff = django_user_model.objects.create_user("editor", is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = get(client, '{ article(slug: "draft") { slug } }')
    assert response.json() == {"data": {"article": None}}


# -- Caching headers -------------------------------------------------------------------------


def test_anonymous_get_is_publicly_cacheable(client, settings):
    settings.GRAPHQL_CACHE_MAX_AGE, settings.GRAPHQL_CACHE_SWR = 30, 120
    ArticleFactory()
    response = get(client, SLUGS)
    assert response["Cache-Control"] == "public, max-age=30, stale-while-revalidate=120"
    assert response["ETag"].startswith('"')
    assert "Accept" in response["Vary"]
    assert "Cookie" not in response.get("Vary", "")


def test_posts_and_errors_are_not_stored(client):
    ArticleFactory()
    assert post(client, {"query": SLUGS})["Cache-Control"] == "no-store"
    assert "ETag" not in post(client, {"query": SLUGS})
    failed = get(client, "{ articles(first: 1000) { totalCount } }")
    assert failed["Cache-Control"] == "no-store"
    assert "ETag" not in failed


def test_etag_answers_304(client):
    ArticleFactory()
    first = get(client, SLUGS)
    etag = first["ETag"]
    again = client.get("/graphql/", {"query": SLUGS}, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == first["Cache-Control"]
    assert again["Cache-Tag"] == first["Cache-Tag"]
    listed = f'"other", W/{etag}'
    assert (
        client.get("/graphql/", {"query": SLUGS}, headers={"if-none-match": listed}).status_code
        == 304
    )
    stale = client.get("/graphql/", {"query": SLUGS}, headers={"if-none-match": '"other"'})
    assert stale.status_code == 200


def test_etag_changes_with_content_and_media_type(client):
    article = ArticleFactory(title="Before")
    query = "{ articles { edges { node { title } } } }"
    before = get(client, query)["ETag"]
    assert get(client, query, accept=GRAPHQL_RESPONSE)["ETag"] != before
    article.title = "After"
    article.save()
    after = get(client, query)
    assert after["ETag"] != before
    gone = client.get("/graphql/", {"query": query}, headers={"if-none-match": before})
    assert gone.status_code == 200
    assert gone.json()["data"]["articles"]["edges"] == [{"node": {"title": "After"}}]


def test_preview_responses_are_private(client):
    draft = ArticleFactory(slug="draft", status=Article.Status.DRAFT, published_at=None)
    query = 'query($t: String) { article(slug: "draft", previewToken: $t) { slug } }'
    response = get(client, query, variables=json.dumps({"t": make_preview_token(draft)}))
    assert response.json() == {"data": {"article": {"slug": "draft"}}}
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response
    assert "Cache-Tag" not in response
    # Even a wrong token: the request carried one.
    wrong = get(client, query, variables=json.dumps({"t": "nope"}))
    assert wrong["Cache-Control"] == "private, no-store"


def test_staff_responses_are_private(client, django_user_model):
    ArticleFactory()
    client.force_login(django_user_model.objects.create_user("editor", is_staff=True))
    response = get(client, SLUGS)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response


def test_a_logged_in_reader_who_is_not_staff_gets_the_public_response(client, django_user_model):
    ArticleFactory()
    client.force_login(django_user_model.objects.create_user("reader"))
    assert get(client, SLUGS)["Cache-Control"].startswith("public")


def test_cache_tags_name_the_content_shown(client):
    credit = ImageCreditFactory()
    lead, avatar = ImageFactory(credit=credit), ImageFactory()
    author = AuthorFactory(avatar=avatar)
    section, tag = SectionFactory(), TagFactory()
    article = ArticleFactory(lead_image=lead, authors=[author], section=section, tags=[tag])
    hidden = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    response = get(client, FRONT_PAGE)

    tags = response["Surrogate-Key"].split(" ")
    assert response["Cache-Tag"].split(",") == tags
    assert set(tags) == {
        f"article:{article.pk}",
        f"author:{author.pk}",
        f"image:{lead.pk}",
        f"image:{avatar.pk}",
        f"section:{section.pk}",
        f"tag:{tag.pk}",
        "list:articles",
    }
    assert f"article:{hidden.pk}" not in tags


def test_cache_tags_of_lookups(client):
    article = ArticleFactory(slug="one")
    found = get(client, '{ article(slug: "one") { title section { name } } }')
    assert found["Surrogate-Key"].split() == [
        f"article:{article.pk}",
        f"section:{article.section_id}",
    ]
    # A lookup that finds nothing changes when such an object is published: the list tag.
    missing = get(client, '{ article(slug: "not-yet") { title } }')
    assert missing["Surrogate-Key"] == "list:articles"
    sections = get(client, "{ sections { slug } }")
    assert "list:sections" in sections["Surrogate-Key"].split()


def test_cache_tags_are_on_posts_too(client):
    article = ArticleFactory()
    response = post(client, {"query": SLUGS})
    assert set(response["Surrogate-Key"].split()) == {f"article:{article.pk}", "list:articles"}
