"""What a frontend may ask for when it wants a photo at a given size and format."""

import enum


class ImageFormat(enum.Enum):
    JPEG = "jpeg"
    WEBP = "webp"
    AVIF = "avif"
    PNG = "png"


class ImageFit(enum.Enum):
    CONTAIN = "contain"
    COVER = "cover"


ORIGINAL_FORMATS = {
    "JPEG": ImageFormat.JPEG,
    "WEBP": ImageFormat.WEBP,
    "AVIF": ImageFormat.AVIF,
    "PNG": ImageFormat.PNG,
    "GIF": ImageFormat.PNG,
}
