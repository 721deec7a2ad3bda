import json

import pytest


class GraphQLClient:
    """Posts GraphQL documents to /graphql/ through Django's test client."""

    def __init__(self, client):
        self.client = client

    def post(self, query, variables=None):
        response = self.client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
        )
        return response.status_code, response.json()

    def query(self, query, variables=None):
        """Run a query that must succeed; returns ``data``."""
        status, body = self.post(query, variables)
        assert status == 200, body
        assert "errors" not in body, body["errors"]
        return body["data"]

    def errors(self, query, variables=None):
        """Run a query that must fail; returns the errors list."""
        _status, body = self.post(query, variables)
        assert body.get("errors"), body
        return body["errors"]


@pytest.fixture
def gql(client):
    return GraphQLClient(client)
