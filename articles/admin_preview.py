"""The article page's Preview button: a fresh, signed link to the frontend's preview page."""

from .preview import preview_url


class PreviewLinkMixin:
    """Puts ``preview_url`` in the change page's context; the template shows it as a button.

    The link is made when the page is shown, so it works for ``PREVIEW_TOKEN_MAX_AGE`` seconds
    from then, for this article only, whatever its status.
    """

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and obj.pk is not None:
            context["preview_url"] = preview_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
