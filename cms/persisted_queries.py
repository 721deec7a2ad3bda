"""Persisted queries: GraphQL documents named by the sha256 of their text.

``GRAPHQL_PERSISTED_QUERIES`` picks the mode:

- ``"apq"`` (default): automatic persisted queries, as Apollo clients send them. A request may
  carry ``extensions.persistedQuery = {"version": 1, "sha256Hash": ...}`` instead of the text;
  an unknown hash answers ``PERSISTED_QUERY_NOT_FOUND`` and the client retries with hash and
  text, which registers the text (in Django's cache) once its hash checks out. Documents
  registered in the database can be called by hash too. Any document may still be sent as text.
- ``"allowlist"``: only documents registered in the database (:class:`cms.models.PersistedQuery`,
  usually by ``manage.py register_queries`` in a frontend's build) run, by hash or by text;
  anything else answers ``PERSISTED_QUERY_NOT_ALLOWED``.
- ``"off"``: the ``persistedQuery`` extension is refused with ``PERSISTED_QUERY_NOT_SUPPORTED``.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from graphql import (
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    OperationDefinitionNode,
    parse,
    print_ast,
    validate,
    visit,
)
from graphql.language import DocumentNode, Visitor

from .limits import BAD_USER_INPUT
from .models import PersistedQuery

APQ = "apq"
ALLOWLIST = "allowlist"
OFF = "off"
MODES = (APQ, ALLOWLIST, OFF)

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
NOT_ALLOWED = "PERSISTED_QUERY_NOT_ALLOWED"
NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"

_SHA256 = re.compile(r"[0-9a-f]{64}")
_APQ_PREFIX = "graphql:apq:"
_REGISTERED_PREFIX = "graphql:registered:"
_UNREGISTERED = ""  # cached marker: a hash the database does not hold


class PersistedQueryError(Exception):
    """A request's persisted query cannot run; ``code`` goes to ``extensions.code``."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


def sha256(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def mode() -> str:
    return settings.GRAPHQL_PERSISTED_QUERIES


def resolve(query, extensions):
    """The document a request runs, and the hash to register it under once it is valid.

    Returns ``(document, apq_hash)``; ``apq_hash`` is set when the request taught us a new
    automatic persisted query. Raises :class:`PersistedQueryError`.
    """
    persisted = (extensions or {}).get("persistedQuery")
    current = mode()
    if persisted is None:
        if current == ALLOWLIST and query is not None and registered(sha256(query)) is None:
            raise PersistedQueryError(
                "Only registered documents run on this server; register this one with "
                "`manage.py register_queries` first.",
                NOT_ALLOWED,
            )
        return query, None
    if current == OFF:
        raise PersistedQueryError("Persisted queries are not supported here.", NOT_SUPPORTED)
    digest = _checked_hash(persisted)
    if query is not None:
        if sha256(query) != digest:
            raise PersistedQueryError(
                "The persistedQuery sha256Hash does not match the sha256 of the query text.",
                BAD_USER_INPUT,
            )
        if current == ALLOWLIST:
            if registered(digest) is None:
                raise PersistedQueryError(
                    "Only registered documents run on this server; register this one with "
                    "`manage.py register_queries` first.",
                    NOT_ALLOWED,
                )
            return query, None
        return query, digest
    document = registered(digest) if current == ALLOWLIST else _known(digest)
    if document is None:
        raise PersistedQueryError("PersistedQueryNotFound", NOT_FOUND)
    return document, None


def _checked_hash(persisted):
    if (
        not isinstance(persisted, dict)
        or persisted.get("version") != 1
        or not isinstance(persisted.get("sha256Hash"), str)
    ):
        raise PersistedQueryError(
            'persistedQuery must be {"version": 1, "sha256Hash": "<64 hex digits>"}.',
            BAD_USER_INPUT,
        )
    digest = persisted["sha256Hash"].lower()
    if not _SHA256.fullmatch(digest):
        raise PersistedQueryError(
            "persistedQuery.sha256Hash must be 64 hexadecimal digits.", BAD_USER_INPUT
        )
    return digest


def _known(digest):
    return cache.get(_APQ_PREFIX + digest) or registered(digest)


def remember(digest, document):
    """Keep an automatic persisted query, after its first valid run."""
    cache.set(_APQ_PREFIX + digest, document, settings.GRAPHQL_APQ_TIMEOUT)


def registered(digest):
    """The registered document with this hash, or None (the answer is cached either way)."""
    key = _REGISTERED_PREFIX + digest
    document = cache.get(key)
    if document is None:
        found = PersistedQuery.objects.filter(sha256=digest).values_list("document", flat=True)
        document = next(iter(found), _UNREGISTERED)
        # Unknown hashes are remembered briefly only: anyone can send any number of them.
        cache.set(key, document, None if document else 60)
    return document or None


def _forget(sender, instance, **kwargs):
    key = _REGISTERED_PREFIX + instance.sha256
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key), robust=True)


def connect_signals():
    post_save.connect(_forget, sender=PersistedQuery, dispatch_uid="persisted_query_saved")
    post_delete.connect(_forget, sender=PersistedQuery, dispatch_uid="persisted_query_deleted")


# -- Registration ---------------------------------------------------------------------------


class InvalidDocument(ValueError):
    """A document that cannot be registered: it does not parse or does not fit the schema."""


def check_document(document, schema):
    """Parse and validate ``document`` against ``schema``; returns its operation names."""
    try:
        ast = parse(document)
    except GraphQLError as error:
        raise InvalidDocument(error.message) from None
    errors = validate(schema._schema, ast)
    if errors:
        raise InvalidDocument("; ".join(error.message for error in errors))
    return [
        definition.name.value if definition.name else ""
        for definition in ast.definitions
        if isinstance(definition, OperationDefinitionNode)
    ]


def split_operations(text):
    """Each operation of a .graphql file as a document of its own, with the fragments it uses.

    Documents are printed by graphql-core, so a client sending one of them as text must send
    that same print; clients calling by hash need not care.
    """
    try:
        ast = parse(text)
    except GraphQLError as error:
        raise InvalidDocument(error.message) from None
    fragments = {d.name.value: d for d in ast.definitions if isinstance(d, FragmentDefinitionNode)}
    documents = []
    for definition in ast.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        needed, pending = [], [definition]
        while pending:
            for name in _spreads(pending.pop()):
                fragment = fragments.get(name)
                if fragment is None:
                    raise InvalidDocument(f'Unknown fragment "{name}".')
                if fragment not in needed:
                    needed.append(fragment)
                    pending.append(fragment)
        used = [d for d in ast.definitions if d is definition or d in needed]
        documents.append(print_ast(DocumentNode(definitions=tuple(used))))
    if not documents:
        raise InvalidDocument("No operation in this file.")
    return documents


def _spreads(node):
    names = []

    class Spreads(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *args):
            names.append(spread.name.value)

    visit(node, Spreads())
    return names


def register(documents, schema, client=""):
    """Register documents (all or none); returns ``[(sha256, name, created)]``."""
    checked = []
    for document in documents:
        names = check_document(document, schema)
        checked.append((sha256(document), document, ", ".join(n for n in names if n)))
    results = []
    with transaction.atomic():
        for digest, document, name in checked:
            _query, created = PersistedQuery.objects.update_or_create(
                sha256=digest,
                defaults={"document": document, "name": name[:200], "client": client[:100]},
            )
            results.append((digest, name, created))
    return results
