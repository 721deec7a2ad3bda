"""Register a frontend's GraphQL documents for the allow-list (``GRAPHQL_PERSISTED_QUERIES``).

Run from a frontend's build or deploy step::

    python manage.py register_queries src/queries/*.graphql --client web
    python manage.py register_queries persisted-documents.json --client web

A ``.graphql``/``.gql`` file registers each of its operations as a document of its own (with
the fragments it uses). A ``.json`` file is a manifest ``{hash: document}`` such as GraphQL
Code Generator's persisted documents: each document is registered as it is, under the sha256
of its text; a 64-digit key must be that sha256. Every document is validated against the
schema first, and nothing is registered unless all of them are valid.
"""

import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.persisted_queries import InvalidDocument, register, sha256, split_operations
from cms.schema import schema

_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


class Command(BaseCommand):
    help = "Register GraphQL documents (.graphql files or a JSON manifest) for the allow-list."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help=".graphql/.gql files or JSON manifests")
        parser.add_argument("--client", default="", help="Which frontend these belong to.")

    def handle(self, *args, files, client, **options):
        documents = []
        for name in files:
            documents.extend(self._read(Path(name)))
        try:
            results = register(documents, schema, client=client)
        except InvalidDocument as error:
            raise CommandError(f"Nothing registered: {error}") from None
        for digest, name, created in results:
            state = "registered" if created else "already registered"
            self.stdout.write(f"{digest}  {name or '(anonymous)'}  {state}")
        self.stdout.write(self.style.SUCCESS(f"{len(results)} document(s) in the allow-list."))

    def _read(self, path):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        if path.suffix == ".json":
            return self._manifest(path, text)
        try:
            return split_operations(text)
        except InvalidDocument as error:
            raise CommandError(f"{path}: {error}") from None

    def _manifest(self, path, text):
        try:
            manifest = json.loads(text)
        except ValueError as error:
            raise CommandError(f"{path} is not JSON: {error}") from None
        if not isinstance(manifest, dict) or not all(
            isinstance(value, str) for value in manifest.values()
        ):
            raise CommandError(f"{path} must be a JSON object of {{hash: document}}.")
        for key, document in manifest.items():
            if _SHA256.fullmatch(key) and key.lower() != sha256(document):
                raise CommandError(
                    f"{path}: {key} is not the sha256 of its document; nothing registered."
                )
        return list(manifest.values())
