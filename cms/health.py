"""A health check for load balancers and monitors: can this app server reach what it needs?

``GET /healthz`` answers 200 when the database, the cache and the file storage all respond, and
503 naming the one that does not. It reads and writes nothing a reader could see, and says
nothing about the configuration beyond ok/failed per dependency.
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

HEALTH_PREFIX = "healthz"


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    key = f"{HEALTH_PREFIX}:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    try:
        if cache.get(key) != "ok":
            raise RuntimeError("the cache did not return what was just stored")
    finally:
        cache.delete(key)


#: How long a successful storage check stands in this process. The check writes a file, and
#: object storage bills per request: probes (or anyone calling the public URL) must not turn
#: into a stream of writes.
STORAGE_CHECK_SECONDS = 30
_storage_ok_until = 0.0


def _storage():
    global _storage_ok_until
    if time.monotonic() < _storage_ok_until:
        return
    # A tiny write, read and delete: shared storage that only lists would fail uploads anyway.
    name = default_storage.save(f"{HEALTH_PREFIX}/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as stored:
            if stored.read() != b"ok":
                raise RuntimeError("the storage did not return what was just stored")
    finally:
        default_storage.delete(name)
    _storage_ok_until = time.monotonic() + STORAGE_CHECK_SECONDS


CHECKS = {"database": _database, "cache": _cache, "storage": _storage}


@never_cache
@require_safe
def health(request):
    results, healthy = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception:
            logger.exception("Health check failed: %s", name)
            results[name] = {"status": "failed"}
            healthy = False
        else:
            results[name] = {
                "status": "ok",
                "ms": round((time.perf_counter() - started) * 1000, 1),
            }
    return JsonResponse(
        {"status": "ok" if healthy else "failed", "checks": results},
        status=200 if healthy else 503,
    )
