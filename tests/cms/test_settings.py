"""Settings come from the environment: safe development defaults, a production profile that
refuses to start without its secrets and passes Django's deployment checks.

Each test starts ``manage.py`` in a fresh process with a clean environment, since settings are
read once per process.
"""

import re
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "cms.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/9",
}


def manage(*args, **env):
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        # No developer's .env: only what the test passes.
        env={"PATH": "/usr/bin:/bin", "ENV_FILE": "/nonexistent/.env", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def setting(name, **env):
    result = manage(
        "shell", "-v", "0", "-c", f"from django.conf import settings; print(settings.{name})", **env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="false", ALLOWED_HOSTS="cms.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert "Traceback" not in result.stderr, "one clear line, not a stack trace"


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", DEBUG="false", SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def test_a_search_bound_below_one_is_refused():
    result = manage("check", DEBUG="true", SEARCH_MAX_MATCHES="0")
    assert result.returncode != 0
    assert "SEARCH_MAX_MATCHES must be at least 1." in result.stderr


def test_debug_is_off_unless_asked_for():
    env = {"SECRET_KEY": PRODUCTION["SECRET_KEY"], "ALLOWED_HOSTS": "cms.example.org"}
    assert setting("DEBUG", **env) == "False"


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    reported = re.findall(r"\(([a-z_]+\.[A-Z]\d+)\)", result.stderr + result.stdout)
    assert reported == [], result.stderr
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deployment_checks_ask_for_a_shared_cache():
    """Several workers with caches of their own would serve responses older than a change."""
    env = {**PRODUCTION}
    del env["CACHE_URL"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "cms.W001" in result.stderr + result.stdout
    assert "CACHE_URL" in result.stderr + result.stdout


def test_development_needs_nothing_set():
    result = manage("check", DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_uploads_default_to_var_not_the_media_package():
    media_root = Path(setting("MEDIA_ROOT", DEBUG="true"))
    assert media_root == BASE_DIR / "var" / "media"
    assert not media_root.is_relative_to(BASE_DIR / "media")


def test_media_root_inside_the_media_package_is_refused():
    result = manage("check", DEBUG="true", MEDIA_ROOT=str(BASE_DIR / "media"))
    assert result.returncode != 0
    assert "MEDIA_ROOT must not be the `media` package" in result.stderr


def test_a_local_env_file_configures_development(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=true\n")
    result = manage("check", ENV_FILE=str(env_file))
    assert result.returncode == 0, result.stderr
    # A real environment variable wins over the file.
    assert "SECRET_KEY must be set" in manage("check", ENV_FILE=str(env_file), DEBUG="false").stderr
