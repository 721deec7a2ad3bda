"""The CMS's URLs plus the floor views, for the benchmark's in-process and HTTP runs only."""

from django.urls import path

from cms.urls import urlpatterns as cms_urlpatterns

from . import floor

urlpatterns = [
    path("bench/floor/front-page/", floor.front_page, name="floor-front-page"),
    path("bench/floor/article/<slug:slug>/", floor.article_page, name="floor-article-page"),
    *cms_urlpatterns,
]
