"""System checks of the photo library's environment."""

from django.core.checks import Warning, register

from .renditions import ImageFormat, can_encode, servable_format


@register()
def check_image_encoders(app_configs, **kwargs):
    """Warn when the installed Pillow cannot write a format the API offers.

    The API still answers (AVIF is served as WebP, WebP as JPEG, and `Rendition.format` says
    so), but frontends get larger files than they asked for.
    """
    warnings = []
    for image_format, check_id in (
        (ImageFormat.AVIF, "media.W001"),
        (ImageFormat.WEBP, "media.W002"),
    ):
        if not can_encode(image_format):
            warnings.append(
                Warning(
                    f"Pillow cannot encode {image_format.name} here; renditions asked for in "
                    f"{image_format.name} are served as {servable_format(image_format).name}.",
                    hint=(
                        f"Install a Pillow build with {image_format.name} support (the "
                        "official wheels of Pillow 11.3 or later include AVIF and WebP), then "
                        "check with: python -m PIL.features"
                    ),
                    id=check_id,
                )
            )
    return warnings
