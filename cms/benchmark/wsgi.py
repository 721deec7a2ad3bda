"""The WSGI application with the floor views routed, for ``manage.py bench --http``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after set-up)

settings.ROOT_URLCONF = "cms.benchmark.urls"
