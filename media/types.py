"""GraphQL types of the photo library."""

import strawberry
import strawberry_django
from strawberry import auto

from . import models
from .renditions import ORIGINAL_FORMATS, ImageFit, ImageFormat

License = strawberry.enum(models.License, name="License")
ImageFormat = strawberry.enum(ImageFormat, name="ImageFormat")
ImageFit = strawberry.enum(ImageFit, name="ImageFit")


def absolute_url(info: strawberry.Info, url: str) -> str:
    """Frontends live on other hosts: file URLs must be absolute.

    A storage that already gives full URLs (a CDN ``MEDIA_URL``, object storage) is used as it
    is; a local path is completed with the host the API was called on.
    """
    if "://" in url:
        return url
    return info.context.request.build_absolute_uri(url)


@strawberry_django.type(models.ImageCredit, name="ImageCredit")
class ImageCreditType:
    text: auto
    creator: auto
    copyright_notice: auto
    license: License
    license_url: auto
    source_url: auto
    acquire_license_page: auto


@strawberry.type(name="FocalPoint")
class FocalPoint:
    x: float
    y: float


@strawberry.type(name="Rendition")
class Rendition:
    url: str
    width: int
    height: int
    format: ImageFormat


@strawberry_django.type(models.Image, name="Image")
class ImageType:
    title: auto
    alt_text: str
    caption: str
    width: int
    height: int
    credit: ImageCreditType | None

    @strawberry_django.field(only=["file"])
    def url(self, root: models.Image, info: strawberry.Info) -> str:
        """The full-size photo."""
        return absolute_url(info, root.file.url)

    @strawberry_django.field(only=["focal_x", "focal_y"])
    def focal_point(self, root: models.Image) -> FocalPoint:
        return FocalPoint(x=root.focal_x, y=root.focal_y)

    @strawberry_django.field(only=["file", "width", "height", "format"])
    def rendition(
        self,
        root: models.Image,
        info: strawberry.Info,
        width: int | None = None,
        height: int | None = None,
        fit: ImageFit | None = ImageFit.CONTAIN,
        format: ImageFormat | None = ImageFormat.WEBP,
    ) -> Rendition:
        """The photo at a size and in a format for this layout.

        Until the rendition pipeline lands this is the original file at its own size.
        """
        return Rendition(
            url=absolute_url(info, root.file.url),
            width=root.width,
            height=root.height,
            format=ORIGINAL_FORMATS.get(root.format, ImageFormat.JPEG),
        )
