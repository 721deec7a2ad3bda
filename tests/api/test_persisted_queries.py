"""Persisted queries: APQ register-then-hit, the allow-list, registering a frontend's documents."""

import hashlib
import json

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from cms.models import PersistedQuery
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

GRAPHQL_RESPONSE = "application/graphql-response+json"
SLUGS = "query Slugs { articles { edges { node { slug } } } }"
EXPECTED = {"data": {"articles": {"edges": [{"node": {"slug": "one"}}]}}}


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def extension(digest, version=1):
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


@pytest.fixture(autouse=True)
def article():
    cache.clear()
    return ArticleFactory(slug="one")


def get(client, digest, accept=None, **params):
    headers = {"accept": accept} if accept else {}
    params["extensions"] = json.dumps(extension(digest))
    return client.get("/graphql/", params, headers=headers)


def post(client, payload, accept=None):
    headers = {"accept": accept} if accept else {}
    return client.post(
        "/graphql/", json.dumps(payload), content_type="application/json", headers=headers
    )


def code(response):
    return response.json()["errors"][0]["extensions"]["code"]


def test_apq_not_found_then_register_then_hit_by_get(client):
    digest = sha(SLUGS)

    missing = get(client, digest)
    assert missing.status_code == 200
    assert code(missing) == "PERSISTED_QUERY_NOT_FOUND"
    assert missing["Cache-Control"] == "no-store"

    registered = post(client, {"query": SLUGS, "extensions": extension(digest)})
    assert registered.json() == EXPECTED

    hit = get(client, digest)
    assert hit.json() == EXPECTED
    assert hit["Cache-Control"].startswith("public, max-age=")
    assert "ETag" in hit
    # Uppercase hex names the same document.
    assert get(client, digest.upper()).json() == EXPECTED


def test_apq_register_by_get_too(client):
    digest = sha(SLUGS)
    assert get(client, digest, query=SLUGS).json() == EXPECTED
    assert get(client, digest).json() == EXPECTED


def test_apq_not_found_is_400_with_the_new_media_type(client):
    response = get(client, sha(SLUGS), accept=GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert response["Content-Type"] == GRAPHQL_RESPONSE
    assert code(response) == "PERSISTED_QUERY_NOT_FOUND"


def test_hash_that_does_not_match_the_query_registers_nothing(client):
    wrong = sha("{ sections { slug } }")
    response = post(client, {"query": SLUGS, "extensions": extension(wrong)})
    assert code(response) == "BAD_USER_INPUT"
    assert "does not match" in response.json()["errors"][0]["message"]
    assert code(get(client, wrong)) == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    "persisted",
    [
        {"version": 2, "sha256Hash": "a" * 64},
        {"version": 1, "sha256Hash": "not-a-hash"},
        {"version": 1},
        "a" * 64,
    ],
)
def test_malformed_persisted_query_extension(client, persisted):
    response = post(client, {"extensions": {"persistedQuery": persisted}})
    assert code(response) == "BAD_USER_INPUT"


def test_invalid_document_is_not_remembered(client):
    bad = "{ articles { edges { node { password } } } }"
    digest = sha(bad)
    response = post(client, {"query": bad, "extensions": extension(digest)})
    assert code(response) == "GRAPHQL_VALIDATION_FAILED"
    assert code(get(client, digest)) == "PERSISTED_QUERY_NOT_FOUND"


def test_registered_documents_run_by_hash_in_apq_mode(client):
    PersistedQuery.objects.create(sha256=sha(SLUGS), document=SLUGS, name="Slugs")
    assert get(client, sha(SLUGS)).json() == EXPECTED


def test_allowlist_refuses_unregistered_documents(client, settings):
    settings.GRAPHQL_PERSISTED_QUERIES = "allowlist"
    by_text = post(client, {"query": SLUGS})
    assert by_text.status_code == 200
    assert code(by_text) == "PERSISTED_QUERY_NOT_ALLOWED"
    assert "data" not in by_text.json()
    by_get = client.get("/graphql/", {"query": SLUGS}, headers={"accept": GRAPHQL_RESPONSE})
    assert by_get.status_code == 400
    assert code(by_get) == "PERSISTED_QUERY_NOT_ALLOWED"
    # APQ cannot register a document either.
    apq = post(client, {"query": SLUGS, "extensions": extension(sha(SLUGS))})
    assert code(apq) == "PERSISTED_QUERY_NOT_ALLOWED"
    assert code(get(client, sha(SLUGS))) == "PERSISTED_QUERY_NOT_FOUND"


def test_allowlist_runs_registered_documents_by_hash_and_by_text(client, settings):
    settings.GRAPHQL_PERSISTED_QUERIES = "allowlist"
    assert code(post(client, {"query": SLUGS})) == "PERSISTED_QUERY_NOT_ALLOWED"
    PersistedQuery.objects.create(sha256=sha(SLUGS), document=SLUGS, name="Slugs")
    assert get(client, sha(SLUGS)).json() == EXPECTED
    assert post(client, {"query": SLUGS}).json() == EXPECTED
    assert post(client, {"query": SLUGS, "extensions": extension(sha(SLUGS))}).json() == EXPECTED
    # A removed document stops running at once.
    PersistedQuery.objects.all().delete()
    assert code(get(client, sha(SLUGS))) == "PERSISTED_QUERY_NOT_FOUND"


def test_persisted_queries_off(client, settings):
    settings.GRAPHQL_PERSISTED_QUERIES = "off"
    response = post(client, {"query": SLUGS, "extensions": extension(sha(SLUGS))})
    assert code(response) == "PERSISTED_QUERY_NOT_SUPPORTED"
    assert post(client, {"query": SLUGS}).json() == EXPECTED


def test_hash_lookups_cost_no_query_once_known(client, django_assert_num_queries, settings):
    settings.GRAPHQL_RESPONSE_CACHE = False
    settings.GRAPHQL_PERSISTED_QUERIES = "allowlist"
    PersistedQuery.objects.create(sha256=sha(SLUGS), document=SLUGS)
    get(client, sha(SLUGS))
    with django_assert_num_queries(1):  # the page only: no allow-list lookup
        assert get(client, sha(SLUGS)).json() == EXPECTED


# -- register_queries ------------------------------------------------------------------------

FILE = """
fragment Card on Article { slug title }

query FrontPage { articles(first: 5) { edges { node { ...Card } } } }

query ArticlePage($slug: String!) { article(slug: $slug) { ...Card standfirst } }

query Sections { sections { slug } }
"""


def test_register_queries_from_graphql_files(tmp_path, client, settings, article):
    path = tmp_path / "queries.graphql"
    path.write_text(FILE)
    call_command("register_queries", str(path), "--client", "web")

    registered = {query.name: query for query in PersistedQuery.objects.all()}
    assert set(registered) == {"FrontPage", "ArticlePage", "Sections"}
    assert all(query.client == "web" for query in registered.values())
    page = registered["ArticlePage"]
    assert page.sha256 == sha(page.document)
    assert "fragment Card" in page.document
    assert "fragment" not in registered["Sections"].document

    settings.GRAPHQL_PERSISTED_QUERIES = "allowlist"
    response = client.get(
        "/graphql/",
        {
            "variables": json.dumps({"slug": "one"}),
            "extensions": json.dumps(extension(page.sha256)),
        },
    )
    expected = {"slug": "one", "title": article.title, "standfirst": article.standfirst}
    assert response.json() == {"data": {"article": expected}}


def test_register_queries_from_a_manifest(tmp_path):
    documents = [SLUGS, "query Sections { sections { slug } }"]
    path = tmp_path / "persisted-documents.json"
    path.write_text(json.dumps({sha(document): document for document in documents}))
    call_command("register_queries", str(path))
    assert sorted(PersistedQuery.objects.values_list("sha256", flat=True)) == sorted(
        sha(document) for document in documents
    )
    # Registering again changes nothing.
    call_command("register_queries", str(path))
    assert PersistedQuery.objects.count() == 2


def test_manifest_keys_of_another_hash_are_registered_under_sha256(tmp_path):
    path = tmp_path / "persisted-documents.json"
    path.write_text(json.dumps({hashlib.sha1(SLUGS.encode()).hexdigest(): SLUGS}))  # noqa: S324
    call_command("register_queries", str(path))
    assert PersistedQuery.objects.get().sha256 == sha(SLUGS)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", json.dumps({"0" * 64: SLUGS}), "not the sha256"),
        ("bad.json", "[1, 2]", "JSON object"),
        ("bad.graphql", "query { articles { edges { node { password } } } }", "password"),
        ("bad.graphql", "query { articles {", "Syntax Error"),
        ("bad.graphql", "fragment F on Article { slug }", "No operation"),
    ],
)
def test_register_queries_refuses_bad_input_and_registers_nothing(tmp_path, name, content, message):
    good = tmp_path / "good.graphql"
    good.write_text("query Sections { sections { slug } }")
    bad = tmp_path / name
    bad.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("register_queries", str(good), str(bad))
    assert not PersistedQuery.objects.exists()


def test_admin_lists_and_adds_registered_queries(admin_client):
    PersistedQuery.objects.create(sha256=sha(SLUGS), document=SLUGS, name="Slugs", client="web")
    listing = admin_client.get("/admin/cms/persistedquery/")
    assert listing.status_code == 200
    assert b"Slugs" in listing.content
    document = "query Sections { sections { slug } }"
    added = admin_client.post(
        "/admin/cms/persistedquery/add/", {"document": document, "name": "Sections", "client": ""}
    )
    assert added.status_code == 302
    assert PersistedQuery.objects.get(name="Sections").sha256 == sha(document)
    refused = admin_client.post(
        "/admin/cms/persistedquery/add/", {"document": "{ nope }", "name": "", "client": ""}
    )
    assert refused.status_code == 200
    assert PersistedQuery.objects.count() == 2
