from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "media"
    verbose_name = "Photo library"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
