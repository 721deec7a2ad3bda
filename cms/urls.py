from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from .health import health
from .views import graphql_view

admin.site.site_header = "Newsroom CMS"
admin.site.site_title = "Newsroom CMS"
admin.site.index_title = "Content"
admin.site.site_url = settings.FRONTEND_URL

urlpatterns = [
    path("admin/", admin.site.urls),
    path("graphql/", graphql_view, name="graphql"),
    path("healthz", health, name="health"),
    path("", include("media.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
