"""Forms of the photo library: the upload field every image form uses."""

from django import forms

from .validators import ACCEPT, read_image_info

#: The media type recorded on an accepted upload, from its real format.
MEDIA_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "AVIF": "image/avif",
    "HEIF": "image/heic",
}


class UploadedImageField(forms.FileField):
    """A file field that accepts only the photo formats of :mod:`media.validators`.

    Unlike ``forms.ImageField``, which lets Pillow try every decoder it has, this one opens the
    upload with the allowed decoders only, and runs every upload check (size, pixels, markup)
    while the form is validated, so a refused file is a form error before anything is stored.
    """

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        info = read_image_info(upload)
        if hasattr(upload, "content_type"):
            # What the browser claimed does not matter; what the bytes are does.
            upload.content_type = MEDIA_TYPES.get(info.format, "application/octet-stream")
        return upload

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", ACCEPT)
        return attrs
