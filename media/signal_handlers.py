"""Stored files follow their rows: deleting an image or a rendition deletes its file.

Files are deleted once the deletion is committed, so a rolled-back delete keeps them.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Image, Rendition


def _delete_after_commit(field_file):
    if field_file and field_file.name:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


@receiver(post_delete, sender=Image, dispatch_uid="media.delete_original")
def delete_original(sender, instance, **kwargs):
    _delete_after_commit(instance.file)


@receiver(post_delete, sender=Rendition, dispatch_uid="media.delete_rendition_file")
def delete_rendition_file(sender, instance, **kwargs):
    _delete_after_commit(instance.file)
