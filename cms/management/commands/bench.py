"""``manage.py bench``: what the API's queries cost, against a hand-written floor.

    python manage.py bench [--iterations 200] [--json bench.json]
    python manage.py bench --http [--concurrency 8] [--duration 10] [--workers 2]

Runs on the configured database (fill it with ``manage.py seed`` first). In-process, through
Django's test client, it sends each query of the benchmark (FrontPage, ArticlePage, an author
page, page 50 of a section, a search) and, for FrontPage and ArticlePage, a plain Django view
that returns the same JSON byte for byte (checked before timing; see
:mod:`cms.benchmark.floor`). Each GraphQL request and its floor are timed alternately in one
loop after a warm-up, so background load weighs on both alike; the table gives median and p95
times, SQL queries per request, and each GraphQL time as a ratio to its floor. A repeated
anonymous FrontPage answered from the response cache is measured the same way.

``--http`` starts gunicorn on 127.0.0.1 with the floor views routed, drives each query with a
bounded load generator (``--concurrency`` threads for ``--duration`` seconds, then it stops)
and reports requests per second and p50/p99 latency.

``--memory N`` sends N FrontPage and ArticlePage requests in this process and reports the
resident set size after the first tenth and at the end.

The response cache is off for the uncached figures, while lists keep their ``totalCount`` per
content version as in production; "FrontPage (count)" is the first front page after a content
change, which counts the archive again. Like a production worker (``cms/gunicorn.conf.py``), the
process freezes its loaded objects out of the garbage collector's sight before timing. DEBUG is
off while timing (Django keeps no query log). Nothing here asserts a time: the figures are for
people to read and compare.
"""

import gc
import http.client
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import django
import strawberry
from django.core.handlers.wsgi import WSGIHandler
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings

from articles.models import Article, Section
from authors.models import Author
from cms.benchmark import queries

BASE_DIR = Path(__file__).resolve().parents[3]
SEARCH_WORD = "council"


class Case:
    """One query of the benchmark, and the floor view that answers it by hand (if any)."""

    def __init__(self, name, document, variables=None, floor_path=None):
        self.name, self.document, self.variables = name, document, variables or {}
        self.floor_path = floor_path

    @property
    def body(self):
        return json.dumps({"query": self.document, "variables": self.variables})

    def get_path(self):
        """The same query as a GET (what a CDN caches)."""
        params = {"query": self.document}
        if self.variables:
            params["variables"] = json.dumps(self.variables)
        return "/graphql/?" + urlencode(params)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(seconds):
    return {
        "median_ms": round(statistics.median(seconds) * 1000, 3),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 3),
    }


def machine():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "strawberry": strawberry.__version__ if hasattr(strawberry, "__version__") else "",
        "database": connection.vendor,
    }


def rss_kb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Command(BaseCommand):
    help = "Time the API's queries against hand-written views returning the same JSON."

    def add_arguments(self, parser):
        parser.add_argument("--iterations", type=int, default=200)
        parser.add_argument("--warmup", type=int, default=20)
        parser.add_argument("--json", metavar="PATH", help="Also write the results as JSON.")
        parser.add_argument("--http", action="store_true", help="Drive gunicorn over HTTP.")
        parser.add_argument("--concurrency", type=int, default=8)
        parser.add_argument("--duration", type=float, default=10.0, help="Seconds per query.")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
        parser.add_argument("--memory", type=int, default=0, metavar="N")
        parser.add_argument(
            "--skip",
            action="append",
            default=[],
            metavar="QUERY",
            help="Leave out a query by name (FrontPage, ArticlePage, AuthorPage, SectionPage, "
            "Search); repeatable. FrontPage is always run.",
        )

    def handle(self, *args, **options):
        if options["iterations"] < 1 or options["warmup"] < 0:
            raise CommandError("--iterations must be at least 1 and --warmup at least 0.")
        skipped = {name.lower() for name in options["skip"]} - {"frontpage"}
        cases = [case for case in self.cases() if case.name.split()[0].lower() not in skipped]
        report = {
            "machine": machine(),
            "archive": {
                "articles": Article.objects.count(),
                "public_articles": Article.objects.public().count(),
                "authors": Author.objects.count(),
            },
        }
        self.stdout.write(
            f"Archive: {report['archive']['public_articles']} public articles of "
            f"{report['archive']['articles']}, on {connection.vendor}; "
            f"{report['machine']['cpu']} ({report['machine']['cores']} cores)"
        )
        with override_settings(
            ROOT_URLCONF="cms.benchmark.urls",
            ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"],
            DEBUG=False,
        ):
            report["in_process"] = self.in_process(cases, options)
            if options["memory"]:
                report["memory"] = self.memory(cases, options["memory"])
        if options["http"]:
            report["http"] = self.over_http(cases, options)
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(report, indent=2) + "\n")
            self.stdout.write(f"Wrote {options['json']}")

    # -- What to send ---------------------------------------------------------------------------

    def cases(self):
        public = Article.objects.public()
        if not public.exists():
            raise CommandError("No public articles: fill the database with `manage.py seed`.")
        # The newest article with photos in its body, as a reader most often opens.
        article = public.filter(inline_images__isnull=False).newest_first().first()
        article = article or public.newest_first().first()
        author = (
            Author.objects.active()
            .filter(articles__in=public)
            .annotate(count=django.db.models.Count("articles"))
            .order_by("-count", "id")
            .first()
        )
        section = (
            Section.objects.filter(articles__in=public)
            .annotate(count=django.db.models.Count("articles"))
            .order_by("-count", "id")
            .first()
        )
        cases = [
            Case("FrontPage", queries.FRONT_PAGE, floor_path="/bench/floor/front-page/"),
            Case(
                "ArticlePage",
                queries.ARTICLE_PAGE,
                {"slug": article.slug},
                floor_path=f"/bench/floor/article/{article.slug}/",
            ),
        ]
        if author is not None:
            cases.append(Case("AuthorPage", queries.AUTHOR_PAGE, {"slug": author.slug}))
        if section is not None:
            in_section = public.filter(section=section).newest_first()
            page = min(50, max(1, (in_section.count() - 1) // 20 + 1))
            after = None
            if page > 1:
                last = in_section[(page - 1) * 20 - 1]
                values = json.dumps(
                    [last.published_at.isoformat(), str(last.pk)], separators=(",", ":")
                )
                after = strawberry.relay.to_base64("orderedcursor", values)
            cases.append(
                Case(
                    f"SectionPage p{page}",
                    queries.SECTION_PAGE,
                    {"slug": section.slug, "after": after},
                )
            )
        cases.append(Case("Search", queries.SEARCH, {"query": SEARCH_WORD}))
        return cases

    # -- In-process -----------------------------------------------------------------------------

    def in_process(self, cases, options):
        client = Client()
        results = {}
        # As a production worker does once the app is loaded (cms/gunicorn.conf.py).
        client.post("/graphql/", cases[0].body, content_type="application/json")
        gc.freeze()
        with override_settings(GRAPHQL_RESPONSE_CACHE=False):
            for case in cases:
                results[case.name] = self.measure(client, case, options)
        front = cases[0]
        # The first request after a content change counts the archive again.
        with override_settings(GRAPHQL_RESPONSE_CACHE=False, GRAPHQL_COUNT_CACHE=False):
            results["FrontPage (count)"] = self.measure(client, front, options)
        with override_settings(GRAPHQL_RESPONSE_CACHE=True):
            results["FrontPage (cached)"] = self.measure(
                client, front, options, method="GET", check=False
            )
        self.print_table(results)
        return results

    def send(self, client, case, method="POST"):
        if method == "GET":
            return client.get(case.get_path())
        return client.post("/graphql/", case.body, content_type="application/json")

    def measure(self, client, case, options, method="POST", check=True):
        response = self.send(client, case, method)
        payload = response.json()
        if response.status_code != 200 or payload.get("errors"):
            raise CommandError(
                f"{case.name} failed: {payload.get('errors') or response.status_code}"
            )
        floor = None
        if case.floor_path:
            floor = client.get(case.floor_path)
            if check and floor.content != response.content:
                raise CommandError(
                    f"The floor of {case.name} does not return the API's bytes; fix "
                    "cms/benchmark/floor.py before comparing times."
                )
        with CaptureQueriesContext(connection) as api_queries:
            self.send(client, case, method)
        result = {"sql_queries": len(api_queries), "bytes": len(response.content)}
        if case.floor_path:
            with CaptureQueriesContext(connection) as floor_queries:
                client.get(case.floor_path)
            result["floor_sql_queries"] = len(floor_queries)

        for _ in range(options["warmup"]):
            self.send(client, case, method)
            if case.floor_path:
                client.get(case.floor_path)
        api_times, floor_times = [], []
        clock = time.perf_counter
        for _ in range(options["iterations"]):
            started = clock()
            self.send(client, case, method)
            api_times.append(clock() - started)
            if case.floor_path:
                started = clock()
                client.get(case.floor_path)
                floor_times.append(clock() - started)
        result.update(summary(api_times))
        if floor_times:
            result["floor"] = summary(floor_times)
            result["ratio"] = round(
                statistics.median(api_times) / statistics.median(floor_times), 2
            )
        return result

    def print_table(self, results):
        header = (
            f"{'query':<22}{'median ms':>10}{'p95 ms':>9}{'SQL':>5}"
            f"{'floor ms':>10}{'floor SQL':>10}{'ratio':>7}"
        )
        self.stdout.write("")
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        front_floor = results["FrontPage"].get("floor", {}).get("median_ms")
        for name, result in results.items():
            floor = result.get("floor", {}).get("median_ms")
            ratio = result.get("ratio")
            if name == "FrontPage (cached)" and front_floor:
                floor, ratio = front_floor, round(result["median_ms"] / front_floor, 3)
                result["ratio_to_uncached_floor"] = ratio
            self.stdout.write(
                f"{name:<22}{result['median_ms']:>10.2f}{result['p95_ms']:>9.2f}"
                f"{result['sql_queries']:>5}"
                f"{(f'{floor:.2f}' if floor else '-'):>10}"
                f"{result.get('floor_sql_queries', '-'):>10}"
                f"{(f'{ratio:.2f}x' if ratio else '-'):>7}"
            )
        self.stdout.write("")

    def memory(self, cases, count):
        # Straight into Django's WSGI handler, as a server calls it: the test client connects
        # signal receivers on every request, and their bookkeeping would be counted too.
        handler = WSGIHandler()
        factory = RequestFactory()
        mix = cases[:2]
        checkpoint = max(1, count // 10)
        readings = {}

        def start_response(status, headers, exc_info=None):
            if not status.startswith("200"):
                raise CommandError(f"A request for the memory check failed: {status}.")

        with override_settings(GRAPHQL_RESPONSE_CACHE=False):
            for index in range(1, count + 1):
                case = mix[index % len(mix)]
                request = factory.post("/graphql/", case.body, content_type="application/json")
                response = handler(request.environ, start_response)
                b"".join(response)
                response.close()
                if index in (checkpoint, count):
                    readings[index] = rss_kb()
        first, last = readings[checkpoint], readings[count]
        growth = round((last - first) / first * 100, 1) if first else 0.0
        self.stdout.write(
            f"Memory: RSS {first} kB after {checkpoint} requests, {last} kB after {count} "
            f"({growth:+.1f}%)."
        )
        return {"requests": count, "rss_kb": readings, "growth_percent": growth}

    # -- Over HTTP ------------------------------------------------------------------------------

    def over_http(self, cases, options):
        port = _free_port()
        # Production settings serve collected static files; the API needs none of them.
        static_root = tempfile.TemporaryDirectory()
        env = {
            **os.environ,
            "STATIC_ROOT": static_root.name,
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "GRAPHQL_RESPONSE_CACHE": "false",
        }
        gunicorn = Path(sys.executable).parent / "gunicorn"
        server = subprocess.Popen(  # noqa: S603 (our own virtualenv's gunicorn)
            [
                str(gunicorn),
                "cms.benchmark.wsgi:application",
                "--config",
                "cms/gunicorn.conf.py",
                "--access-logfile",
                "/dev/null",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(options["workers"]),
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=env,
        )
        results = {}
        try:
            _wait_for_port(port)
            for case in cases:
                targets = [(case.name, "POST", "/graphql/", case.body)]
                if case.floor_path:
                    targets.append((f"{case.name} floor", "GET", case.floor_path, None))
                for name, method, path, body in targets:
                    # Warm every worker up first (URLconf, schema, caches), as in-process.
                    load(port, method, path, body, options["workers"] * 2, 0, at_least=2)
                    results[name] = load(
                        port, method, path, body, options["concurrency"], options["duration"]
                    )
                    self.stdout.write(
                        f"{name:<26}{results[name]['requests_per_second']:>9.1f} req/s"
                        f"  p50 {results[name]['p50_ms']:>8.2f} ms"
                        f"  p99 {results[name]['p99_ms']:>8.2f} ms"
                        f"  errors {results[name]['errors']}"
                    )
        finally:
            server.terminate()
            server.wait(timeout=30)
            static_root.cleanup()
        return {"concurrency": options["concurrency"], "workers": options["workers"], **results}


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise CommandError(f"gunicorn did not start on 127.0.0.1:{port}.")


def load(port, method, path, body, concurrency, duration, at_least=0):
    """Send requests from ``concurrency`` threads for ``duration`` seconds; then stop.

    Each thread sends at least ``at_least`` requests, however short ``duration`` is.
    """
    latencies, errors = [], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + duration
    headers = {"Content-Type": "application/json"} if body else {}

    def worker():
        mine, failed = [], 0
        while time.monotonic() < deadline or len(mine) < at_least:
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status != 200:
                    failed += 1
            except OSError:
                failed += 1
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2) if latencies else None,
    }
