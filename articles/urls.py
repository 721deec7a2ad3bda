"""Public discovery URLs: RSS and Atom feeds, the sitemaps and the Google News sitemap.

Their content is public and the same for everyone, so responses may be cached by browsers and
CDNs for ``FEED_CACHE_MAX_AGE`` seconds. Like the API's, they name what they show in
``Cache-Tag``/``Surrogate-Key`` headers: list tags, and a feed's every article, author, photo,
section and tag, so purging a change event's tags refreshes them at once.
"""

from functools import wraps

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.utils.cache import patch_cache_control

from . import feeds, sitemaps

app_name = "articles"

SITEMAP_TAGS = ("list:articles", "list:authors", "list:sections", "list:tags")


def cacheable(view, tags=()):
    """``view`` with public caching and cache tags: ``tags``, then any the view recorded."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=settings.FEED_CACHE_MAX_AGE)
            names = [*tags, *getattr(request, "cache_tags", ())]
            if names:
                response["Cache-Tag"] = ",".join(names)
                response["Surrogate-Key"] = " ".join(names)
        return response

    return cached_view


urlpatterns = [
    path("feeds/rss/", cacheable(feeds.LatestArticlesFeed()), name="feed-rss"),
    path("feeds/atom/", cacheable(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path("feeds/sections/<slug:slug>/rss/", cacheable(feeds.SectionFeed()), name="section-rss"),
    path(
        "feeds/sections/<slug:slug>/atom/",
        cacheable(feeds.SectionAtomFeed()),
        name="section-atom",
    ),
    path("feeds/authors/<slug:slug>/rss/", cacheable(feeds.AuthorFeed()), name="author-rss"),
    path("feeds/authors/<slug:slug>/atom/", cacheable(feeds.AuthorAtomFeed()), name="author-atom"),
    path(
        "sitemap.xml",
        cacheable(sitemap_views.index, SITEMAP_TAGS),
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "articles:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cacheable(sitemap_views.sitemap, SITEMAP_TAGS),
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "news-sitemap.xml", cacheable(sitemaps.news_sitemap, ["list:articles"]), name="news-sitemap"
    ),
]
