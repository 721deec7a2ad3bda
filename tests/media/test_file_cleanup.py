"""Deleting a photo removes its original and its renditions from storage, after commit."""

import pytest

from media.models import Image
from tests.factories import ImageFactory

from .test_serving import url_for


def stored_files(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


@pytest.mark.django_db(transaction=True)
def test_deleting_an_image_deletes_its_files(client, media_root):
    image = ImageFactory()
    assert client.get(url_for(image, width=160)).status_code == 200
    assert len(stored_files(media_root)) == 2  # the original and one rendition

    image.delete()

    assert stored_files(media_root) == []


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_delete_keeps_the_files(media_root):
    from django.db import transaction

    image = ImageFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        Image.objects.filter(pk=image.pk).delete()
        raise RuntimeError("the editor's request failed")

    assert Image.objects.filter(pk=image.pk).exists()
    assert len(stored_files(media_root)) == 1
