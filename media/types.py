"""GraphQL types of the photo library.

Every image field is computed from the stored columns (size, format, hash): no file is opened
and no pixel decoded while the API answers. Rendition URLs point at the serving view, which
makes each file on its first request.
"""

import strawberry
import strawberry_django
from graphql import GraphQLError
from strawberry import auto

from cms.fields import ColumnField

from . import models
from .renditions import (
    MAX_WIDTHS,
    ORIGINAL_FORMATS,
    ImageFit,
    ImageFormat,
    InvalidSpec,
    RenditionSpec,
    rendition_path,
    rendition_size,
)

License = strawberry.enum(models.License, name="License")
ImageFormat = strawberry.enum(ImageFormat, name="ImageFormat")
ImageFit = strawberry.enum(ImageFit, name="ImageFit")

#: The columns every URL and size is computed from.
RENDITION_COLUMNS = ["id", "width", "height", "format", "content_hash", "focal_x", "focal_y"]
DEFAULT_PICTURE_FORMATS = (ImageFormat.AVIF, ImageFormat.WEBP, ImageFormat.JPEG)


def absolute_url(info: strawberry.Info, url: str) -> str:
    """Frontends live on other hosts: file URLs must be absolute.

    A storage that already gives full URLs (a CDN ``MEDIA_URL``, object storage) is used as it
    is; a local path is completed with the host the API was called on.
    """
    if "://" in url:
        return url
    return info.context.request.build_absolute_uri(url)


def bad_user_input(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})


@strawberry_django.type(models.ImageCredit, name="ImageCredit", field_cls=ColumnField)
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


@strawberry.type(name="PictureSource")
class PictureSource:
    type: str = strawberry.field(description="The media type, as in `image/avif`.")
    srcset: str


@strawberry.type(
    name="Picture",
    description="What a `<picture>` element needs: one source per format, an `<img>` and its size.",
)
class Picture:
    sources: list[PictureSource]
    fallback: Rendition = strawberry.field(
        description="The last listed format at the largest width, for the `<img>` itself."
    )
    width: int = strawberry.field(description="The intrinsic width of the largest rendition.")
    height: int = strawberry.field(description="The intrinsic height of the largest rendition.")


def make_rendition(info: strawberry.Info, image: models.Image, spec: RenditionSpec) -> Rendition:
    """The URL and size of ``spec`` of ``image``, from its stored columns alone."""
    width, height = rendition_size(max(image.width, 1), max(image.height, 1), spec)
    return Rendition(
        url=absolute_url(info, rendition_path(image.pk, image.rendition_version(spec), spec)),
        width=width,
        height=height,
        format=spec.format,
    )


def build_spec(width=None, height=None, fit=None, image_format=None) -> RenditionSpec:
    try:
        return RenditionSpec.build(
            width, height, fit or ImageFit.CONTAIN, image_format or ImageFormat.WEBP
        )
    except InvalidSpec as error:
        raise bad_user_input(str(error)) from None


def width_ladder(
    info: strawberry.Info, image: models.Image, widths: list[int], image_format: ImageFormat
) -> list[Rendition]:
    """The renditions for a ``srcset``, narrowest first, one per distinct actual width.

    Requested widths that snap to the same ladder step, or that the original is too small for
    (renditions never upscale), give one entry, not several of the same width.
    """
    if not 1 <= len(widths) <= MAX_WIDTHS:
        raise bad_user_input(f"`widths` must list between 1 and {MAX_WIDTHS} widths.")
    by_width = {}
    for width in sorted(widths):
        rendition = make_rendition(info, image, build_spec(width, None, None, image_format))
        by_width.setdefault(rendition.width, rendition)
    return list(by_width.values())


def srcset(renditions: list[Rendition]) -> str:
    return ", ".join(f"{rendition.url} {rendition.width}w" for rendition in renditions)


@strawberry_django.type(models.Image, name="Image", field_cls=ColumnField)
class ImageType:
    title: auto
    alt_text: str
    caption: str
    width: int
    height: int
    credit: ImageCreditType | None

    @strawberry_django.field(
        only=["placeholder"],
        description="A blurhash of the photo to show while it loads; null until computed.",
    )
    def placeholder(self, root: models.Image) -> str | None:
        return root.placeholder or None

    @strawberry_django.field(
        only=["dominant_color"],
        description="The photo's dominant colour as `#rrggbb`; null until computed.",
    )
    def dominant_color(self, root: models.Image) -> str | None:
        return root.dominant_color or None

    @strawberry_django.field(
        only=RENDITION_COLUMNS,
        description=(
            "The photo at full size (at most the largest rendition size) in its own format "
            "(GIF as PNG), without its metadata. Never the uploaded original."
        ),
    )
    def url(self, root: models.Image, info: strawberry.Info) -> str:
        image_format = ORIGINAL_FORMATS.get(root.format, ImageFormat.JPEG)
        return make_rendition(info, root, build_spec(image_format=image_format)).url

    @strawberry_django.field(only=["focal_x", "focal_y"])
    def focal_point(self, root: models.Image) -> FocalPoint:
        return FocalPoint(x=root.focal_x, y=root.focal_y)

    @strawberry_django.field(
        only=RENDITION_COLUMNS,
        description=(
            "The photo at a size and in a format for this layout. Sizes are rounded up to the "
            "server's size ladder and never exceed the original's; `format` says what is "
            "served (AVIF is served as WEBP where the server cannot encode it). `COVER` needs "
            "both a width and a height and crops around the focal point."
        ),
    )
    def rendition(
        self,
        root: models.Image,
        info: strawberry.Info,
        width: int | None = None,
        height: int | None = None,
        fit: ImageFit | None = ImageFit.CONTAIN,
        format: ImageFormat | None = ImageFormat.WEBP,
    ) -> Rendition:
        return make_rendition(info, root, build_spec(width, height, fit, format))

    @strawberry_django.field(
        only=RENDITION_COLUMNS,
        description=(
            "A ready `srcset` attribute (`url 320w, url 640w`) for 1 to 10 widths; widths that "
            "come out the same size are listed once."
        ),
    )
    def srcset(
        self,
        root: models.Image,
        info: strawberry.Info,
        widths: list[int],
        format: ImageFormat | None = ImageFormat.WEBP,
    ) -> str:
        return srcset(width_ladder(info, root, widths, format))

    @strawberry_django.field(
        only=RENDITION_COLUMNS,
        description=(
            "Everything a `<picture>` element needs: one source per format, in the order "
            "given (a format the server cannot encode is served as the next best one, listed "
            "once). List the most compatible format last: it is also the `<img>` fallback."
        ),
    )
    def picture(
        self,
        root: models.Image,
        info: strawberry.Info,
        widths: list[int],
        formats: list[ImageFormat] | None = DEFAULT_PICTURE_FORMATS,
    ) -> Picture:
        if formats is None:
            formats = DEFAULT_PICTURE_FORMATS
        formats = list(dict.fromkeys(formats))  # each format once, in the order given
        if not formats:
            raise bad_user_input("`formats` must list at least one format.")
        ladders = {}
        for image_format in formats:
            ladder = width_ladder(info, root, widths, image_format)
            ladders.setdefault(ladder[0].format, ladder)
        largest = list(ladders.values())[-1][-1]
        return Picture(
            sources=[
                PictureSource(type=served.media_type, srcset=srcset(ladder))
                for served, ladder in ladders.items()
            ],
            fallback=largest,
            width=largest.width,
            height=largest.height,
        )
