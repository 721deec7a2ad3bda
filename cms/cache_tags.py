"""Cache tags: short names for the content a response shows, shared by the API's response
headers and the change events, so a CDN purge by an event's tags reaches exactly the responses
that showed the changed content.

``article:<pk>``, ``author:<pk>``, ``image:<pk>``, ``section:<pk>`` and ``tag:<pk>`` name one
object; ``list:articles`` names every response that lists articles (a publication changes them).
"""

LIST_ARTICLES = "list:articles"

#: Model names (``Model._meta.model_name``) that have a tag of their own.
KINDS = ("article", "author", "image", "section", "tag")


def tag(kind, pk):
    """The tag of one object, from its kind (``"article"``) and primary key."""
    if kind not in KINDS:
        raise ValueError(f"No cache tag for {kind!r} objects.")
    return f"{kind}:{pk}"


def tags_for(instance):
    """The tags of a model instance: its own tag, or none for models without one."""
    kind = instance._meta.model_name
    if kind not in KINDS or instance.pk is None:
        return []
    return [tag(kind, instance.pk)]
