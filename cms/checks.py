"""Deployment checks of the CMS's own settings, run by ``manage.py check --deploy``."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Several workers or servers must share one cache.

    The response cache's content version, automatic persisted queries and the admin lockout
    counts live in the cache: in each process's own memory, a change renews only the cache of
    the process that saved it, and the others keep serving the old responses.
    """
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            "The default cache is local to each process.",
            hint="Set CACHE_URL (or REDIS_URL) to a Redis server shared by every worker, e.g. "
            "redis://cache.internal:6379/0; otherwise cached API responses outlive changes.",
            id="cms.W001",
        )
    ]
