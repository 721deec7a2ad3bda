"""``manage.py bench`` runs end to end at a tiny size, so it cannot rot; no time is asserted.

The query counts of every benchmark query are asserted at two archive sizes: they must not grow
with the archive.
"""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from cms import response_cache
from cms.management.commands.bench import Command

BASE_DIR = Path(__file__).resolve().parents[2]
TINY = {"authors": 8, "images": 6, "tags": 20, "batch": 50}


def seed(articles):
    call_command("seed", stdout=StringIO(), articles=articles, **TINY)


def query_counts():
    client = Client()
    counts = {}
    with override_settings(GRAPHQL_RESPONSE_CACHE=False):
        # Changing a setting drops the content version; renew it, as any earlier request would
        # have, so each query is measured as the first of its kind after a content change
        # (its totalCount not cached yet).
        response_cache.current_version()
        for case in Command().cases():
            with CaptureQueriesContext(connection) as queries:
                response = client.post("/graphql/", case.body, content_type="application/json")
            assert response.status_code == 200
            assert "errors" not in response.json(), (case.name, response.json())
            counts[case.name.split()[0]] = len(queries)
    return counts


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_archive():
    seed(60)
    small = query_counts()
    seed(400)
    large = query_counts()
    assert set(small) == {"FrontPage", "ArticlePage", "AuthorPage", "SectionPage", "Search"}
    assert small == large
    assert large["FrontPage"] <= 4
    # Once counted, a list's totalCount comes from the cache until content changes.
    front, client = Command().cases()[0], Client()
    with override_settings(GRAPHQL_RESPONSE_CACHE=False):
        client.post("/graphql/", front.body, content_type="application/json")
        with CaptureQueriesContext(connection) as queries:
            client.post("/graphql/", front.body, content_type="application/json")
    assert len(queries) == large["FrontPage"] - 1


@pytest.mark.django_db
def test_in_process_benchmark_prints_a_table_and_writes_json(tmp_path):
    seed(60)
    out = StringIO()
    report_path = tmp_path / "bench.json"
    call_command("bench", iterations=2, warmup=1, json=str(report_path), stdout=out)
    table = out.getvalue()
    for name in ("FrontPage", "ArticlePage", "AuthorPage", "SectionPage", "Search", "(cached)"):
        assert name in table
    report = json.loads(report_path.read_text())
    front = report["in_process"]["FrontPage"]
    assert {"median_ms", "p95_ms", "sql_queries", "floor", "ratio"} <= set(front)
    assert report["in_process"]["ArticlePage"]["floor_sql_queries"] >= 1
    assert report["in_process"]["FrontPage (cached)"]["sql_queries"] == 0
    assert report["archive"]["public_articles"] > 0


def test_http_benchmark_runs_gunicorn_and_stops_by_itself(tmp_path):
    """The whole command in a process of its own, against a file database gunicorn can share."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "ENV_FILE": "/nonexistent/.env",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }

    def manage(*args):
        result = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    manage("migrate", "-v", "0")
    manage("seed", "--articles", "40", "--authors", "5", "--images", "4", "--tags", "10")
    output = manage(
        "bench", "--iterations", "1", "--warmup", "0", "--http", "--duration", "1",
        "--concurrency", "2", "--workers", "1", "--json", str(tmp_path / "bench.json"),
    )  # fmt: skip
    assert "req/s" in output
    report = json.loads((tmp_path / "bench.json").read_text())
    assert report["http"]["FrontPage"]["requests"] > 0
    assert report["http"]["FrontPage"]["errors"] == 0
    assert report["http"]["FrontPage floor"]["errors"] == 0


@pytest.mark.django_db
def test_bench_leaves_out_skipped_queries_but_never_the_front_page(tmp_path):
    seed(30)
    report_path = tmp_path / "bench.json"
    call_command(
        "bench",
        iterations=1,
        warmup=0,
        skip=["search", "FrontPage"],
        json=str(report_path),
        stdout=StringIO(),
    )
    measured = json.loads(report_path.read_text())["in_process"]
    assert "Search" not in measured
    assert {"FrontPage", "ArticlePage", "FrontPage (cached)"} <= set(measured)


@pytest.mark.django_db
def test_memory_check_sends_requests_through_the_wsgi_handler(tmp_path):
    seed(30)
    report_path = tmp_path / "bench.json"
    out = StringIO()
    call_command(
        "bench",
        iterations=1,
        warmup=0,
        memory=20,
        skip=["AuthorPage", "SectionPage", "Search"],
        json=str(report_path),
        stdout=out,
    )
    memory = json.loads(report_path.read_text())["memory"]
    assert memory["requests"] == 20
    assert all(reading > 0 for reading in memory["rss_kb"].values())
    assert "Memory: RSS" in out.getvalue()
