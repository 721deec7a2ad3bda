"""Gunicorn settings for production: ``gunicorn -c cms/gunicorn.conf.py cms.wsgi``.

Each value can be changed through the environment without editing this file. Workers are
processes (no threads) because Pillow's rendering and the GraphQL execution are CPU-bound; a
rendition's first render holds a worker, so keep a few more workers than cores.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # behind the load balancer
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then, so a slow leak cannot grow a worker without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "1000"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# Trust X-Forwarded-* only from the load balancer's addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """The app is loaded: move its long-lived objects (modules, the schema, URL resolvers) out of
    the garbage collector's sight, so collections during requests scan request garbage only."""
    gc.freeze()
