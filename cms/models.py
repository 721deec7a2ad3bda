"""What the API itself stores: the GraphQL documents registered for the allow-list."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PersistedQuery(models.Model):
    """A GraphQL document a frontend registered, found by the sha256 of its text.

    In allow-list mode only these documents run; otherwise they save clients from sending the
    text (automatic persisted queries keep theirs in the cache instead).
    """

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    document = models.TextField(_("document"))
    name = models.CharField(
        _("operation name"), max_length=200, blank=True, help_text=_("For people reading the list.")
    )
    client = models.CharField(
        _("client"), max_length=100, blank=True, help_text=_("Which frontend registered it.")
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["client", "name", "id"]
        verbose_name = _("registered query")
        verbose_name_plural = _("registered queries")

    def __str__(self):
        return self.name or self.sha256[:12]
