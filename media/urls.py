"""Public URLs of the photo library: its renditions, never its originals."""

from django.urls import path

from . import views

app_name = "media"

urlpatterns = [
    path("images/<int:image_id>/<str:signature>/<str:spec>", views.rendition, name="rendition"),
]
