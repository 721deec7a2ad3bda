"""Articles' answers to other apps' signals; wired in ``ArticlesConfig.ready()``."""

from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from media.models import Image
from media.signals import validate_image_change

from . import search, services


@receiver(connection_created, dispatch_uid="articles.search_functions")
def add_search_functions(sender, connection, **kwargs):
    """SQLite's search index triggers call a Python function on every connection that writes."""
    search.register_functions(connection)


@receiver(post_migrate, dispatch_uid="articles.search_index")
def restore_search_index(sender, using, apps=None, **kwargs):
    """Bring back SQLite's search triggers if a migration rebuilt the articles table.

    ``flush`` sends this too, without ``apps``: the tables are then those of the models.
    """
    if sender.label != "articles":
        return
    try:
        (apps or sender.apps).get_model("articles", "SearchEntry")
    except LookupError:  # migrated back to before the search table
        return
    search.install_index(using)


@receiver(validate_image_change, sender=Image, dispatch_uid="articles.keep_published_photos")
def keep_published_photos_described(sender, image, changes, **kwargs):
    """A photo that published articles show keeps its alt text and credit."""
    return services.image_change_problems(image, changes)
