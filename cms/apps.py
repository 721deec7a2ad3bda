from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Newsroom CMS"

    def ready(self):
        from . import checks, events  # noqa: F401  (registers the deploy checks and the change-event handlers)

        self.connect_api_caching()

    def connect_api_caching(self):
        """Cache tags of responses, and the renewal of cached responses and persisted queries."""
        from . import cache_tags, persisted_queries, response_cache

        cache_tags.connect_recording()
        persisted_queries.connect_signals()
        response_cache.connect_signals()
