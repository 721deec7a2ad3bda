"""The rendition server: makes a signed rendition on its first request, then serves the file.

A URL names an image, a signature and a spec (see :mod:`media.renditions`). Anything that does
not verify is a 404, so only the sizes the API handed out can ever be made. The first request
renders the file, stores it through the storage API under a name of its own and only then
records it; a request that finds the record streams the stored file without decoding anything.
Two first requests racing for the same rendition both render, but only one record can exist
(unique on image and spec): the loser deletes its own file and serves the winner's.
"""

import logging
import threading
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe
from PIL import Image as PILImage

from .models import Image, Rendition
from .operations import render_rendition
from .renditions import (
    ImageFormat,
    InvalidSpec,
    RenditionSpec,
    has_valid_signature,
    rendition_folder,
)

logger = logging.getLogger(__name__)

#: Renders running at once in this process. Each may decode a whole original (up to
#: IMAGE_MAX_PIXELS), so this bounds the memory a burst of first requests can take.
_render_slots = threading.BoundedSemaphore(settings.IMAGE_MAX_CONCURRENT_RENDERS)

CACHE_FOREVER = "public, max-age=31536000, immutable"

#: What a broken, missing or over-large original raises while it is decoded.
DECODE_ERRORS = (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError)


@require_safe
def rendition(request, image_id: int, signature: str, spec: str):
    image, parsed = _verified(image_id, signature, spec)
    etag = f'"{image.pk}-{image.rendition_version(parsed)}-{spec}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return _cacheable(not_modified, etag)

    stored, content, file = _current_rendition(image, parsed), None, None
    if stored is not None and request.method != "HEAD":
        file = _open(stored)
        if file is None:
            stored = None
    if stored is None:
        if not _render_slots.acquire(timeout=settings.IMAGE_RENDER_WAIT_SECONDS):
            # Every render slot is busy: a burst of first requests. Ask the client to come back
            # rather than decode yet another original at once.
            response = HttpResponse("Busy, try again.", status=503, content_type="text/plain")
            response["Retry-After"] = "2"
            response["Cache-Control"] = "no-store"
            return response
        try:
            stored, content = _make_rendition(image, parsed)
        finally:
            _render_slots.release()
    if stored is None:
        # The original could not be decoded (logged); maybe a broken file that gets replaced.
        response = HttpResponse("Not found.", status=404, content_type="text/plain")
        response["Cache-Control"] = "no-store"
        return response

    media_type = ImageFormat[stored.format].media_type
    if request.method == "HEAD":
        response = HttpResponse(content_type=media_type)
        response["Content-Length"] = stored.file_size
    elif content is not None:
        response = HttpResponse(content, content_type=media_type)
        response["Content-Length"] = len(content)
    else:
        response = FileResponse(file or stored.file.open("rb"), content_type=media_type)
        response.setdefault("Content-Length", stored.file_size)
    # A readable name for "save image as", never the storage name.
    response["Content-Disposition"] = content_disposition_header(False, f"image-{image.pk}-{spec}")
    return _cacheable(response, etag)


def _verified(image_id, given_signature, spec_text) -> tuple[Image, RenditionSpec]:
    """The image and spec a URL names, or 404 unless the API could have issued that URL."""
    try:
        spec = RenditionSpec.parse(spec_text)
    except InvalidSpec:
        raise Http404("No such rendition.") from None
    if str(spec) != spec_text or not spec.is_canonical():
        raise Http404("No such rendition.")
    image = (
        Image.objects.filter(pk=image_id)
        .only("id", "file", "content_hash", "focal_x", "focal_y")
        .first()
    )
    if image is None or not has_valid_signature(
        image.pk, image.rendition_version(spec), spec, given_signature
    ):
        raise Http404("No such rendition.")
    return image, spec


def _current_rendition(image: Image, spec: RenditionSpec) -> Rendition | None:
    """The recorded rendition of the image's current file, if any.

    A record made from a file the image has since replaced is deleted here (its file after the
    commit), so the caller makes a fresh one.
    """
    stored = Rendition.objects.filter(image=image, spec=str(spec)).first()
    if stored is None or stored.file.name.startswith(
        rendition_folder(image.pk, image.rendition_version(spec))
    ):
        return stored
    _forget(stored)
    return None


def _open(stored: Rendition):
    """The stored file, open; ``None`` (and the record forgotten) if storage has lost it."""
    try:
        return stored.file.open("rb")
    except FileNotFoundError:
        logger.warning("Rendition file %s is missing; making it again", stored.file.name)
        _forget(stored)
        return None


def _forget(stored: Rendition) -> None:
    """Delete a record, and its file once that is committed (unless another request did)."""
    name, storage = stored.file.name, stored.file.storage
    if Rendition.objects.filter(pk=stored.pk, file=name).delete()[0]:
        transaction.on_commit(lambda: storage.delete(name))


def _make_rendition(image: Image, spec: RenditionSpec) -> tuple[Rendition | None, bytes | None]:
    """Render, store, then record ``spec``.

    Returns the record and the bytes; no bytes if another request recorded it first (serve
    its file), and no record if the original cannot be decoded.
    """
    try:
        with image.file.open("rb") as original:
            rendered = render_rendition(original, spec, focal=(image.focal_x, image.focal_y))
    except DECODE_ERRORS:
        logger.exception("Could not make rendition %s of image %s", spec, image.pk)
        return None, None
    storage = Rendition._meta.get_field("file").storage
    name = storage.save(
        f"{rendition_folder(image.pk, image.rendition_version(spec))}"
        f"{spec.stem}-{uuid.uuid4().hex}.{rendered.format.extension}",
        ContentFile(rendered.content),
    )
    try:
        with transaction.atomic():
            stored = Rendition.objects.create(
                image=image,
                spec=str(spec),
                file=name,
                width=rendered.width,
                height=rendered.height,
                format=rendered.format.name,
                file_size=len(rendered.content),
            )
    except IntegrityError:
        # Another request recorded this rendition first: ours is referenced by nothing.
        storage.delete(name)
        winner = Rendition.objects.filter(image=image, spec=str(spec)).first()
        if winner is None:  # the image itself was deleted meanwhile
            raise Http404("No such rendition.") from None
        return winner, None
    except BaseException:
        storage.delete(name)
        raise
    return stored, rendered.content


def _cacheable(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_FOREVER
    return response
