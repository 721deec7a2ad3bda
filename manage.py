#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (loads the settings, which check themselves)
    except ImproperlyConfigured as error:
        sys.exit(
            f"manage.py: {error}\n"
            "For development, run `make setup` (it writes a .env with DEBUG=true) "
            "or set DEBUG=true."
        )

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
