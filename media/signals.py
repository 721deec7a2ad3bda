"""Signals the photo library sends, so apps that use its photos can take part in its rules.

The library uses no other app (who uses a photo is found through reverse relations), yet some
rules about a photo belong to its users: articles require alt text and a credit on the photos
they publish. The library asks through a signal, and those apps answer, instead of the library
importing them.
"""

from django.dispatch import Signal

#: Sent by the photo form before a stored photo's description changes, with ``image`` (the
#: photo as stored) and ``changes`` (``{field name: new value}`` for ``alt_text`` and
#: ``credit``, whichever the form changes). Receivers return ``(field name, message)`` pairs
#: saying why the change is refused, or nothing; any refusal keeps the photo as it is.
validate_image_change = Signal()
