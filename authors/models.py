"""Author profiles: the "Written By" box and the author pages."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from media.models import Image


class AuthorQuerySet(models.QuerySet):
    def active(self):
        """Authors shown in lists and on their own pages. Inactive ones stay on old bylines."""
        return self.filter(active=True)


class Author(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    role = models.CharField(
        _("job title"), max_length=200, blank=True, help_text=_("For example “News Reporter”.")
    )
    location = models.CharField(
        _("based in"), max_length=200, blank=True, help_text=_("For example “London”.")
    )
    bio = models.TextField(_("short bio"), blank=True)
    avatar = models.ForeignKey(
        Image,
        verbose_name=_("portrait"),
        related_name="author_avatars",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive authors have no public page but stay on their articles’ bylines."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        related_name="author_profile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return settings.FRONTEND_URL + self.path

    @property
    def path(self):
        return settings.FRONTEND_PATHS["author"].format(slug=self.slug)


class AuthorLink(models.Model):
    """Where else the author writes or can be found ("Twitter", "Personal site")."""

    author = models.ForeignKey(
        Author, verbose_name=_("author"), related_name="links", on_delete=models.CASCADE
    )
    label = models.CharField(_("label"), max_length=100)
    url = models.URLField(_("URL"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("author link")
        verbose_name_plural = _("author links")

    def __str__(self):
        return f"{self.label}: {self.url}"
