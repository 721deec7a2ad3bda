"""Forms of the photo library: the upload field every image form uses, and the photo form."""

from django import forms

from .signals import validate_image_change
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


class ImageAdminForm(forms.ModelForm):
    """The photo form. Before a stored photo's alt text or credit changes, it asks the apps that
    use the photo (through :data:`media.signals.validate_image_change`) whether they allow it.

    A signal rather than an import: the library must not depend on the apps that use its
    photos, and a query through the reverse relations alone could not know their rules (which
    articles count as published, for one). Each answering app keeps its rule in its own code.
    """

    #: The fields other apps' rules depend on.
    described_by = ("alt_text", "credit")

    def clean(self):
        cleaned_data = super().clean()
        changes = {
            name: cleaned_data[name]
            for name in self.described_by
            if name in cleaned_data and name in self.changed_data
        }
        if self.instance.pk is None or not changes:
            return cleaned_data
        responses = validate_image_change.send(
            sender=type(self.instance), image=self.instance, changes=changes
        )
        for _receiver, refusals in responses:
            for name, message in refusals or ():
                self.add_error(name if name in self.fields else None, message)
        return cleaned_data
