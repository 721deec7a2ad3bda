from pathlib import Path

from strawberry.printer import print_schema

from cms.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_committed_schema_is_current():
    """Frontends generate their types from schema.graphql; it must match the running API.

    Regenerate with `make schema` and review the diff: removals break frontends.
    """
    assert SCHEMA_FILE.read_text().strip() == print_schema(schema).strip()
