from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "media"
    verbose_name = "Photo library"

    def ready(self):
        from . import checks, signal_handlers  # noqa: F401  (registers checks and handlers)
