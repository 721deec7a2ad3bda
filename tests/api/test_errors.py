"""Bad requests get a clear GraphQL error with a stable code, never a traceback."""

import json

import pytest
from strawberry.relay import to_base64

from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def _codes(errors):
    return [error["extensions"]["code"] for error in errors]


def _assert_no_traceback(body):
    text = json.dumps(body)
    assert "Traceback" not in text
    assert 'File "' not in text


@pytest.mark.parametrize("first", [1000, 101, -1])
def test_page_size_out_of_range(gql, first):
    ArticleFactory()
    status, body = gql.post(f"{{ articles(first: {first}) {{ edges {{ node {{ slug }} }} }} }}")
    assert status == 200
    assert body["data"] is None
    assert _codes(body["errors"]) == ["BAD_USER_INPUT"]
    assert "between 0 and 100" in body["errors"][0]["message"]
    _assert_no_traceback(body)


def test_page_size_from_a_variable_and_in_a_nested_connection(gql):
    AuthorFactory(slug="ama")
    query = """query($n: Int) { author(slug: "ama") { articles(first: $n) { totalCount } } }"""
    errors = gql.errors(query, {"n": 5000})
    assert _codes(errors) == ["BAD_USER_INPUT"]
    assert gql.query(query, {"n": 100}) == {"author": {"articles": {"totalCount": 0}}}


def test_page_size_of_100_is_allowed(gql):
    ArticleFactory()
    data = gql.query("{ articles(first: 100) { totalCount } }")
    assert data == {"articles": {"totalCount": 1}}


def test_explicit_null_first_uses_the_default_page_size(gql):
    ArticleFactory.create_batch(21)
    data = gql.query("{ articles(first: null) { edges { cursor } } }")
    assert len(data["articles"]["edges"]) == 20


def test_malformed_query(gql):
    status, body = gql.post("{ articles(first: 5) { edges { node { title } }")
    assert status == 200
    assert _codes(body["errors"]) == ["GRAPHQL_PARSE_FAILED"]
    assert body["errors"][0]["message"].startswith("Syntax Error")
    _assert_no_traceback(body)


def test_unknown_field(gql):
    status, body = gql.post("{ articles { edges { node { status password } } } }")
    assert status == 200
    assert body["data"] is None
    assert _codes(body["errors"]) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "password" in body["errors"][0]["message"]


def test_wrong_variable_type(gql):
    status, body = gql.post(
        "query($first: Int) { articles(first: $first) { totalCount } }", {"first": "ten"}
    )
    assert status == 200
    assert body["data"] is None
    assert _codes(body["errors"]) == ["BAD_USER_INPUT"]
    assert "$first" in body["errors"][0]["message"]
    _assert_no_traceback(body)


def test_missing_required_variable(gql):
    errors = gql.errors("query($slug: String!) { article(slug: $slug) { title } }")
    assert _codes(errors) == ["BAD_USER_INPUT"]


def test_invalid_cursor(gql):
    ArticleFactory()
    errors = gql.errors('{ articles(after: "bm90IGEgY3Vyc29y") { totalCount } }')
    assert _codes(errors) == ["BAD_USER_INPUT"]
    assert "cursor" in errors[0]["message"].lower()


@pytest.mark.parametrize(
    "value",
    [
        "yesterday-ish",
        "2026-01-31T09:00:00",  # no offset: which time zone would it be?
        "9999-12-31T23:59:59-14:00",  # past year 9999 once in UTC
    ],
)
def test_invalid_date_filter(gql, value):
    errors = gql.errors(
        "query($after: DateTime) { articles(publishedAfter: $after) { totalCount } }",
        {"after": value},
    )
    assert _codes(errors) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    "values",
    [
        ["2020-01-01T00:00:00+00:00", "99999999999999999999999"],
        ["9999-12-31T23:59:59-14:00", "1"],
        ["2020-01-01T00:00:00+00:00"],
        "not a list",
    ],
)
def test_crafted_cursors(gql, values):
    ArticleFactory()
    cursor = to_base64("orderedcursor", json.dumps(values))
    status, body = gql.post(
        "query($after: String) { articles(after: $after) { totalCount edges { cursor } } }",
        {"after": cursor},
    )
    assert status == 200
    assert _codes(body["errors"]) == ["BAD_USER_INPUT"]
    _assert_no_traceback(body)


def test_query_cost_limit(gql):
    AuthorFactory()
    errors = gql.errors(
        "{ authors(first: 100) { edges { node { articles(first: 100) { totalCount } } } } }"
    )
    assert _codes(errors) == ["LIMIT_EXCEEDED"]
    assert "limit is 1000" in errors[0]["message"]


def test_query_cost_counts_aliases_and_fragments(gql):
    fragment = "fragment Page on Author { articles(first: 50) { totalCount } }"
    aliases = " ".join(
        f"a{n}: authors(first: 5) {{ edges {{ node {{ ...Page }} }} }}" for n in range(5)
    )
    errors = gql.errors(f"{{ {aliases} }} {fragment}")
    assert _codes(errors) == ["LIMIT_EXCEEDED"]
    # The same shape at a tenth of the size is fine.
    small = aliases.replace("first: 5", "first: 1")
    assert gql.query(f"{{ {small} }} {fragment.replace('50', '20')}")


def test_only_the_selected_operation_is_checked(client):
    document = (
        "query Small { articles(first: 1) { totalCount } }"
        " query Huge { articles(first: 1000) { totalCount } }"
    )
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": document, "operationName": "Small"}),
        content_type="application/json",
    )
    assert response.json() == {"data": {"articles": {"totalCount": 0}}}


def test_a_node_has_one_id_only(gql):
    article = ArticleFactory()
    query = "query($id: ID!) { node(id: $id) { id } }"
    assert gql.query(query, {"id": to_base64("Article", article.pk)})["node"]
    assert gql.query(query, {"id": to_base64("Article", f"0{article.pk}")}) == {"node": None}


@pytest.mark.parametrize(
    "node_id",
    [
        "not-a-global-id",
        to_base64("Nope", 1),
        to_base64("Section", "abc"),
        to_base64("Tag", 10**30),
        to_base64("Rendition", 1),
        to_base64("Article", "²"),
        to_base64("Article", "١"),
    ],
)
def test_bad_node_ids(gql, node_id):
    status, body = gql.post("query($id: ID!) { node(id: $id) { id } }", {"id": node_id})
    assert status == 200
    _assert_no_traceback(body)
    assert body["data"] == {"node": None}


def test_query_depth_limit(gql):
    deep = (
        '{ author(slug: "x") { articles { edges { node { section { articles { edges { node {'
        " tags { articles { edges { node { authors { articles { edges { node { slug"
        " } } } } } } } } } } } } } } } } }"
    )
    errors = gql.errors(deep)
    assert _codes(errors) == ["LIMIT_EXCEEDED"]
    assert "depth" in errors[0]["message"]


def test_alias_limit(gql):
    aliases = " ".join(f"a{n}: articles(first: 1) {{ totalCount }}" for n in range(40))
    errors = gql.errors(f"{{ {aliases} }}")
    assert "LIMIT_EXCEEDED" in _codes(errors)


def test_token_limit(gql):
    fields = " ".join(["slug"] * 6000)
    status, body = gql.post(f"{{ articles {{ edges {{ node {{ {fields} }} }} }} }}")
    assert status == 200
    assert body["data"] is None
    assert "token" in body["errors"][0]["message"].lower()
    assert _codes(body["errors"]) == ["LIMIT_EXCEEDED"]
    _assert_no_traceback(body)


def test_wrong_method_and_content_type(client):
    assert client.put("/graphql/", data="{}", content_type="application/json").status_code == 405
    response = client.post("/graphql/", data={"query": "{ sections { slug } }"})
    assert response.status_code in (400, 415)


def test_get_query_works(client):
    ArticleFactory(slug="via-get")
    response = client.get("/graphql/", {"query": '{ article(slug: "via-get") { slug } }'})
    assert response.status_code == 200
    assert response.json() == {"data": {"article": {"slug": "via-get"}}}


def test_client_mistakes_are_not_logged_as_server_errors(gql, caplog):
    gql.post("{ articles { edges { node { password } } } }")
    gql.post("{ articles(first: 5000) { totalCount } }")
    gql.post("{ oops")
    assert not [record for record in caplog.records if record.levelname == "ERROR"]


def test_internal_errors_are_masked_outside_debug(gql, monkeypatch, settings, caplog):
    settings.DEBUG = False

    def explode(*args, **kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("articles.types.body.body_blocks", explode)
    ArticleFactory(slug="boom")
    status, body = gql.post('{ article(slug: "boom") { title body { __typename } } }')
    assert status == 200
    assert body["errors"][0]["message"] == "Unexpected error."
    assert _codes(body["errors"]) == ["INTERNAL_SERVER_ERROR"]
    assert "hunter2" not in json.dumps(body)
    # ...but operators see the real error in the log.
    assert any("hunter2" in record.getMessage() for record in caplog.records)
