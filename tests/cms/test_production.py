"""The production profile: object storage, shared cache, health check, static files, security
headers and password-guessing protection — each against the real thing on 127.0.0.1.
"""

import io
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from django.core.cache import caches
from django.core.files.storage import default_storage
from PIL import Image as PILImage

from cms import health
from media.renditions import ImageFit, ImageFormat, RenditionSpec, rendition_path
from tests.cms.test_settings import PRODUCTION, manage
from tests.factories import ImageFactory

BASE_DIR = Path(__file__).resolve().parents[2]
BUCKET = "newsroom-test"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """A local S3-compatible server (moto's server mode) with an empty bucket."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (moto from our own virtualenv)
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    """The default storage is a private bucket on the local S3 server, as in production."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def bucket_keys(client):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


@pytest.mark.django_db(transaction=True)
def test_photos_and_renditions_live_in_the_bucket(client, s3_storage):
    """Two app servers share uploads and renditions only through object storage."""
    assert default_storage.bucket_name == BUCKET
    image = ImageFactory()
    original = image.file.name
    assert original in bucket_keys(s3_storage)

    spec = RenditionSpec.build(480, None, ImageFit.CONTAIN, ImageFormat.JPEG)
    response = client.get(rendition_path(image.pk, image.rendition_version(spec), spec))
    assert response.status_code == 200
    served = PILImage.open(io.BytesIO(body(response)))
    assert served.size == (480, 360)
    renditions = [key for key in bucket_keys(s3_storage) if key.startswith("renditions/")]
    assert len(renditions) == 1

    # A second request (another app server, say) streams the stored file from the bucket.
    again = client.get(rendition_path(image.pk, image.rendition_version(spec), spec))
    assert again.status_code == 200
    assert len([k for k in bucket_keys(s3_storage) if k.startswith("renditions/")]) == 1

    image.delete()
    assert bucket_keys(s3_storage) == []


@pytest.fixture(autouse=True)
def fresh_health_checks(monkeypatch):
    """Each test sees the storage checked afresh (a success stands for a while per process)."""
    monkeypatch.setattr(health, "_storage_ok_until", 0.0)


@pytest.mark.django_db
def test_health_check_reports_each_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    report = response.json()
    assert report["status"] == "ok"
    assert {name: check["status"] for name, check in report["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
    }


@pytest.mark.django_db
def test_repeated_health_checks_do_not_write_to_storage_each_time(client, monkeypatch):
    """Object storage bills per request: a probe every few seconds must not write each time."""
    writes = []
    save = default_storage.save
    monkeypatch.setattr(
        default_storage, "save", lambda *args, **kwargs: writes.append(1) or save(*args, **kwargs)
    )
    for _ in range(3):
        assert client.get("/healthz").json()["checks"]["storage"]["status"] == "ok"
    assert writes == [1]


@pytest.mark.django_db
def test_health_check_uses_object_storage_and_redis(client, s3_storage, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/9",
            "KEY_PREFIX": "healthz-test",
        }
    }
    report = client.get("/healthz").json()
    assert report["status"] == "ok", report
    assert bucket_keys(s3_storage) == [], "the probe file is removed again"


@pytest.mark.django_db
def test_health_check_fails_when_the_cache_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        }
    }
    try:
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["checks"]["cache"] == {"status": "failed"}
        assert response.json()["checks"]["database"]["status"] == "ok"
    finally:
        caches["default"].close()


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account_out(client, django_user_model):
    django_user_model.objects.create_superuser("chief", "chief@example.org", "correct-horse-9")
    for _ in range(5):
        client.post("/admin/login/", {"username": "chief", "password": "wrong"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "chief", "password": "correct-horse-9"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_a_successful_login_before_the_limit_resets_the_count(client, django_user_model):
    django_user_model.objects.create_superuser("chief", "chief@example.org", "correct-horse-9")
    for _ in range(3):
        client.post("/admin/login/", {"username": "chief", "password": "wrong"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "chief", "password": "correct-horse-9"}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


PROBE = """
import json
from django.test import Client
client = Client(HTTP_HOST="cms.example.org")
login = client.get("/admin/login/", secure=True)
static = client.get("/static/admin/css/base.css", secure=True)
health = client.get("/healthz")
print(json.dumps({
    "login": [login.status_code, dict(login.headers)],
    "csrf_cookie_secure": bool(login.cookies["csrftoken"]["secure"]),
    "static": [static.status_code, dict(static.headers)],
    "health": [health.status_code, health.json()],
}))
"""


def test_production_serves_hashed_static_files_and_security_headers(tmp_path):
    """collectstatic works for every app's files; whitenoise serves them; headers are set."""
    env = {
        **PRODUCTION,
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": "redis://127.0.0.1:6379/9",
    }
    collected = manage("collectstatic", "--no-input", "-v", "0", **env)
    assert collected.returncode == 0, collected.stderr
    probe = manage("shell", "-v", "0", "-c", PROBE, **env)
    assert probe.returncode == 0, probe.stderr
    result = json.loads(probe.stdout.strip().splitlines()[-1])

    status, headers = result["login"]
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert result["csrf_cookie_secure"]

    status, headers = result["static"]
    assert status == 200
    assert "max-age" in headers["Cache-Control"]

    status, health = result["health"]
    assert status == 200, "the load balancer's plain-HTTP probe is not redirected"
    assert health["status"] == "ok"


def test_deployment_checks_pass_with_object_storage_and_redis():
    env = {
        **PRODUCTION,
        "AWS_STORAGE_BUCKET_NAME": "newsroom",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "CACHE_URL": "redis://127.0.0.1:6379/0",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cms",
    }
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


SUGGESTIONS_PROBE = """
import json
from django.test import Client
response = Client(HTTP_HOST="cms.example.org").post(
    "/graphql/", {"query": "{ articles { edges { node { titel } } } }"},
    content_type="application/json", secure=True,
)
print(json.dumps(response.json()))
"""


def test_production_gives_no_field_suggestions(tmp_path):
    """ "Did you mean" would rebuild the schema a production API keeps to itself."""
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    probe = manage("shell", "-v", "0", "-c", SUGGESTIONS_PROBE, **env)
    assert probe.returncode == 0, probe.stderr
    errors = json.loads(probe.stdout.strip().splitlines()[-1])["errors"]
    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "titel" in errors[0]["message"]
    assert "Did you mean" not in errors[0]["message"]
