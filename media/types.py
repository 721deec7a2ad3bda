"""GraphQL types of the photo library."""

import strawberry
import strawberry_django
from strawberry import auto

from . import models
from .renditions import ORIGINAL_FORMATS, ImageFit, ImageFormat

License = strawberry.enum(models.License, name="License")
ImageFormat = strawberry.enum(ImageFormat, name="ImageFormat")
ImageFit = strawberry.enum(ImageFit, name="ImageFit")


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
    def url(self, root: models.Image) -> str:
        """The full-size photo."""
        return root.file.url

    @strawberry_django.field(only=["focal_x", "focal_y"])
    def focal_point(self, root: models.Image) -> FocalPoint:
        return FocalPoint(x=root.focal_x, y=root.focal_y)

    @strawberry_django.field(only=["file", "width", "height", "format"])
    def rendition(
        self,
        root: models.Image,
        width: int | None = None,
        height: int | None = None,
        fit: ImageFit = ImageFit.CONTAIN,
        format: ImageFormat = ImageFormat.WEBP,
    ) -> Rendition:
        """The photo at a size and in a format for this layout.

        Until the rendition pipeline lands this is the original file at its own size.
        """
        return Rendition(
            url=root.file.url,
            width=root.width,
            height=root.height,
            format=ORIGINAL_FORMATS.get(root.format, ImageFormat.JPEG),
        )
