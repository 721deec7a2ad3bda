"""Cache tags: the names of the content a response shows, so a CDN can purge exactly those.

One scheme for both sides: the API names what each anonymous response contains in its
``Cache-Tag`` and ``Surrogate-Key`` headers, and change events name what a change affects with
:func:`tags_for`. A purge of the event's tags therefore reaches every response that showed the
changed content.

- ``article:<pk>``, ``author:<pk>``, ``image:<pk>``, ``section:<pk>``, ``tag:<pk>``: one
  object, on every response that shows it (a photo's credit is part of the photo);
- ``list:articles``, ``list:authors``, ``list:sections``, ``list:tags``: responses with a list of
  those (a connection or ``sections``), or a top-level lookup that found nothing (the answer
  changes when such an object is published). A change that adds an object to lists or takes
  it off them (publish, unpublish, delete) purges the list tag as well.

Responses record the objects their resolvers loaded (a ``post_init`` receiver while a request
records), so tagging costs one set insertion per row loaded and nothing per field.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from django.apps import apps
from django.db.models.signals import post_init
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    parse,
)

LIST_ARTICLES = "list:articles"

#: Model names (``Model._meta.model_name``) that have a tag of their own.
KINDS = ("article", "author", "image", "section", "tag")

# Rows that link objects, and the foreign keys naming the objects they link.
_LINKS = {
    "articleauthor": (("article", "article_id"), ("author", "author_id")),
    "articletag": (("article", "article_id"), ("tag", "tag_id")),
    "articlebodyimage": (("article", "article_id"), ("image", "image_id")),
    "correction": (("article", "article_id"),),
    "authorlink": (("author", "author_id"),),
}
LIST_TAGS = {
    "article": LIST_ARTICLES,
    "author": "list:authors",
    "section": "list:sections",
    "tag": "list:tags",
}
# GraphQL type names and the list tag of the objects they list.
_TYPE_LIST_TAGS = {
    "Article": LIST_TAGS["article"],
    "Author": LIST_TAGS["author"],
    "Section": LIST_TAGS["section"],
    "Tag": LIST_TAGS["tag"],
}
_NODE_LIST_TAGS = tuple(sorted(_TYPE_LIST_TAGS.values()))


def tag(kind, pk):
    """The tag of one object, from its kind (``"article"``) and primary key."""
    if kind not in KINDS:
        raise ValueError(f"No cache tag for {kind!r} objects.")
    return f"{kind}:{pk}"


def tags_for(instance, *, lists=False):
    """The tags of the responses a change to ``instance`` affects.

    An object with a tag of its own gives that tag; a row that links objects (a byline, an
    article's tag, an inline photo, a correction, an author's link) gives the tags of the
    objects it links; other models give none. A photo credit is only ever shown through its
    photos, so its changes are the photos' (``image:<pk>`` of each). ``lists=True`` adds the
    list tag, for a change that adds the object to lists or takes it off them (publish,
    unpublish, delete).
    """
    kind = instance._meta.model_name
    if kind in KINDS:
        if instance.pk is None:
            return []
        tags = [tag(kind, instance.pk)]
    elif kind in _LINKS:
        tags = [
            tag(linked, getattr(instance, attname))
            for linked, attname in _LINKS[kind]
            if getattr(instance, attname) is not None
        ]
    else:
        return []
    if lists and kind in LIST_TAGS:
        tags.append(LIST_TAGS[kind])
    return tags


_recording: ContextVar[set | None] = ContextVar("cache_tag_recording", default=None)


def _record(sender, instance, **kwargs):
    seen = _recording.get()
    if seen is not None and instance.pk is not None:
        seen.add((sender._meta.model_name, instance.pk))


def connect_recording():
    """Record loaded content objects during :func:`recording` (called once, at startup)."""
    for model in apps.get_models():
        if model._meta.model_name in KINDS and model._meta.app_label in (
            "articles",
            "authors",
            "media",
        ):
            post_init.connect(_record, sender=model, dispatch_uid=f"cache_tags_{model.__name__}")


@contextmanager
def recording():
    """Record the content objects loaded inside the block; yields the set of (model, pk)."""
    seen = set()
    token = _recording.set(seen)
    try:
        yield seen
    finally:
        _recording.reset(token)


def response_tags(seen, document, operation_name, data, schema) -> list[str]:
    """The tags of a response: the objects it loaded, then the lists its document asks for."""
    lists, lookups = document_lists(document, operation_name, schema)
    extra = set(lists)
    for response_key, list_tags in lookups:
        if (data or {}).get(response_key) is None:
            extra.update(list_tags)
    return [f"{kind}:{pk}" for kind, pk in sorted(seen)] + sorted(extra)


@lru_cache(maxsize=512)
def document_lists(document, operation_name, schema):
    """List tags a document always earns, and its top-level lookups with their list tags.

    Returns ``(list_tags, ((response_key, list_tags), ...))``; a lookup earns its list tags
    when it answers null. Computed once per document.
    """
    try:
        ast = parse(document)
    except GraphQLError:
        return frozenset(), ()
    graphql_schema = schema._schema
    fragments = {d.name.value: d for d in ast.definitions if isinstance(d, FragmentDefinitionNode)}
    operation = next(
        (
            d
            for d in ast.definitions
            if isinstance(d, OperationDefinitionNode)
            and (operation_name is None or (d.name and d.name.value == operation_name))
        ),
        None,
    )
    if operation is None:
        return frozenset(), ()
    root = graphql_schema.get_root_type(operation.operation)
    found, lookups = set(), []

    def walk(selection_set, parent_type, top, depth):
        if selection_set is None or parent_type is None or depth > 40:
            return
        for selection in selection_set.selections:
            if isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = graphql_schema.get_type(condition.name.value) if condition else parent_type
                walk(selection.selection_set, inner, top, depth + 1)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    inner = graphql_schema.get_type(fragment.type_condition.name.value)
                    walk(fragment.selection_set, inner, top, depth + 1)
            elif isinstance(selection, FieldNode):
                definition = (getattr(parent_type, "fields", None) or {}).get(selection.name.value)
                if definition is None:
                    continue
                named = get_named_type(definition.type)
                if named.name.endswith("CursorConnection"):
                    list_tag = _TYPE_LIST_TAGS.get(named.name.removesuffix("CursorConnection"))
                    if list_tag:
                        found.add(list_tag)
                elif top and is_list_type(get_nullable_type(definition.type)):
                    if named.name in _TYPE_LIST_TAGS:
                        found.add(_TYPE_LIST_TAGS[named.name])
                elif top:
                    key = selection.alias.value if selection.alias else selection.name.value
                    if named.name in _TYPE_LIST_TAGS:
                        lookups.append((key, (_TYPE_LIST_TAGS[named.name],)))
                    elif named.name == "Node":
                        lookups.append((key, _NODE_LIST_TAGS))
                walk(selection.selection_set, named, False, depth + 1)

    walk(operation.selection_set, root, True, 0)
    return frozenset(found), tuple(lookups)
