"""Articles' answers to other apps' signals; wired in ``ArticlesConfig.ready()``."""

from django.dispatch import receiver

from media.models import Image
from media.signals import validate_image_change

from . import services


@receiver(validate_image_change, sender=Image, dispatch_uid="articles.keep_published_photos")
def keep_published_photos_described(sender, image, changes, **kwargs):
    """A photo that published articles show keeps its alt text and credit."""
    return services.image_change_problems(image, changes)
