"""The GraphQL endpoint: GraphQL over HTTP, persisted queries, and caching of public reads.

HTTP follows the GraphQL-over-HTTP specification: queries by GET or POST (JSON body), mutations
by POST only, ``application/graphql-response+json`` when the client asks for it (then a
document that cannot run is a ``400``), else ``application/json`` with the legacy ``200``.
One operation per request: batches are refused, a document of several operations must name
the one to run (``operationName``), and bodies are bounded by ``GRAPHQL_MAX_BODY_BYTES``. A
request refused before running (4xx) is answered in the media type the client accepts.

CSRF: the endpoint is exempt because nothing in it acts on the session. It serves public
content to anonymous readers and drafts only against a preview token passed as an argument; a
session cookie never widens what a response shows (staff only make a response private). With
no mutation and no upload, and form encodings refused (415), a cross-site request can only
read what anyone can read. A future mutation that trusts the session must live elsewhere or
check CSRF itself.
"""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.views.decorators.csrf import csrf_exempt
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from strawberry.django.views import GraphQLView
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType as StrawberryOperationType

from . import cache_tags, persisted_queries, response_cache
from .limits import set_default_code
from .schema import schema

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
_MEDIA_TYPES = [JSON, GRAPHQL_RESPONSE]  # JSON first: a bare */* gets the legacy type
_CACHE_HEADERS = ("Cache-Control", "ETag", "Vary", "Cache-Tag", "Surrogate-Key")


class RequestError(Exception):
    """A request the endpoint refuses before running anything."""

    def __init__(self, status, message, code, headers=None):
        super().__init__(message)
        self.status, self.code, self.headers = status, code, headers or {}


@lru_cache(maxsize=512)
def _operation_types(document):
    """Operation name → type for a document, or None when it does not parse."""
    try:
        ast = parse(document, no_location=True)
    except GraphQLError:
        return None
    return {
        (d.name.value if d.name else None): d.operation
        for d in ast.definitions
        if isinstance(d, OperationDefinitionNode)
    }


def _operation_type(document, operation_name):
    types = _operation_types(document)
    if not types:
        return None
    if operation_name is None:
        return next(iter(types.values())) if len(types) == 1 else None
    return types.get(operation_name)


def _is_staff(request):
    # Only a request carrying a session cookie can be staff; checking it costs the session
    # lookup (and a `Vary: Cookie`), which anonymous readers are spared.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_active and user.is_staff)


def _json_param(value, name):
    if value in (None, ""):
        return None
    try:
        return json.loads(value)
    except ValueError:
        raise RequestError(400, f"`{name}` is not valid JSON.", "BAD_REQUEST") from None


class CMSGraphQLView(GraphQLView):
    def dispatch(self, request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = "GET, POST"
            return response
        media_type = JSON  # until the request says which type it accepts
        try:
            if request.method not in ("GET", "POST"):
                raise RequestError(
                    405,
                    "The GraphQL endpoint answers GET (queries) and POST.",
                    "METHOD_NOT_ALLOWED",
                    {"Allow": "GET, POST"},
                )
            adapter = self.request_adapter_class(request)
            if self.graphql_ide and self.should_render_graphql_ide(adapter):
                return self.render_graphql_ide(request)
            preferred = request.get_preferred_type(_MEDIA_TYPES)
            if preferred is None:
                raise RequestError(
                    406, f"Responses are {GRAPHQL_RESPONSE} or {JSON}.", "NOT_ACCEPTABLE"
                )
            media_type = preferred
            return self._respond(request, media_type, *self._parameters(request))
        except RequestError as error:
            return self._error_response(
                media_type, error.status, str(error), error.code, headers=error.headers
            )

    def _parameters(self, request):
        """The request's query, variables, operation name and extensions."""
        if request.method == "GET":
            data = {
                "query": request.GET.get("query"),
                "variables": _json_param(request.GET.get("variables"), "variables"),
                "operationName": request.GET.get("operationName") or None,
                "extensions": _json_param(request.GET.get("extensions"), "extensions"),
            }
        else:
            content_type = request.content_type or ""
            if content_type != JSON:
                raise RequestError(
                    415,
                    f"Send GraphQL requests as JSON: Content-Type: {JSON}.",
                    "UNSUPPORTED_MEDIA_TYPE",
                )
            limit = settings.GRAPHQL_MAX_BODY_BYTES
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit or len(request.body) > limit:
                raise RequestError(
                    413, f"The request body is larger than {limit} bytes.", "PAYLOAD_TOO_LARGE"
                )
            try:
                data = json.loads(request.body)
            except ValueError:
                raise RequestError(
                    400, "The request body is not valid JSON.", "BAD_REQUEST"
                ) from None
            if isinstance(data, list):
                raise RequestError(
                    400,
                    "Batched requests are not supported: send one operation per request.",
                    "BATCHING_NOT_SUPPORTED",
                )
            if not isinstance(data, dict):
                raise RequestError(400, "The request body must be a JSON object.", "BAD_REQUEST")
        for name, kind in (
            ("query", str),
            ("variables", dict),
            ("operationName", str),
            ("extensions", dict),
        ):
            if data.get(name) is not None and not isinstance(data[name], kind):
                article = "an object" if kind is dict else "a string"
                raise RequestError(400, f"`{name}` must be {article} or null.", "BAD_REQUEST")
        return (
            data.get("query"),
            data.get("variables"),
            data.get("operationName"),
            data.get("extensions"),
        )

    def _respond(self, request, media_type, query, variables, operation_name, extensions):
        try:
            document, new_hash = persisted_queries.resolve(query, extensions)
        except persisted_queries.PersistedQueryError as error:
            status = 400 if media_type == GRAPHQL_RESPONSE else 200
            return self._error_response(media_type, status, str(error), error.code)
        if not document:
            raise RequestError(400, "No GraphQL query found in the request.", "BAD_REQUEST")
        if operation_name is None and len(_operation_types(document) or ()) > 1:
            # The GraphQL spec: which operation to run is the client's choice, never a guess.
            raise RequestError(
                400,
                "The document has several operations: name the one to run in `operationName`.",
                "BAD_REQUEST",
            )
        if request.method == "GET" and _operation_type(document, operation_name) in (
            OperationType.MUTATION,
            OperationType.SUBSCRIPTION,
        ):
            raise RequestError(
                405,
                "Mutations and subscriptions must be sent with POST.",
                "METHOD_NOT_ALLOWED",
                {"Allow": "POST"},
            )

        staff = _is_staff(request)
        key = None
        if settings.GRAPHQL_RESPONSE_CACHE and not staff and "previewToken" not in document:
            version = response_cache.version_or_none()
            if version is not None:
                key = response_cache.entry_key(
                    document,
                    variables,
                    operation_name,
                    version,
                    origin=f"{request.scheme}://{request.get_host()}",
                )
                hit = response_cache.get(key)
                if hit is not None:
                    body, tags = hit
                    response = HttpResponse(body, content_type=media_type)
                    return self._cache_headers(request, response, private=False, tags=tags, ok=True)

        sub_response = self.get_sub_response(request)
        context = self.get_context(request, response=sub_response)
        allowed = StrawberryOperationType.from_http(request.method)
        with cache_tags.recording() as seen:
            try:
                result = self.schema.execute_sync(
                    document,
                    variable_values=variables,
                    context_value=context,
                    operation_name=operation_name,
                    allowed_operation_types=allowed,
                    operation_extensions=extensions,
                )
            except CannotGetOperationTypeError as error:
                raise RequestError(400, error.as_http_error_reason(), "BAD_REQUEST") from None
            except InvalidOperationTypeError as error:
                raise RequestError(
                    405,
                    error.as_http_error_reason(request.method),
                    "METHOD_NOT_ALLOWED",
                    {"Allow": "POST"},
                ) from None

        data = self.process_result(request, result)
        # No data and no error with a path: the document could not run at all (syntax,
        # validation, variables, limits). The new media type says so with a 400.
        request_error = result.data is None and all(e.path is None for e in result.errors or ())
        status = 200
        if request_error and media_type == GRAPHQL_RESPONSE:
            status = 400
            data.pop("data", None)
        if new_hash and not request_error:
            persisted_queries.remember(new_hash, document)
        body = self.encode_json(data)
        response = HttpResponse(body, content_type=media_type, status=status)
        for name, value in sub_response.items():
            if name.lower() != "content-type":
                response[name] = value
        if sub_response.status_code:
            response.status_code = sub_response.status_code
        for name, value in sub_response.cookies.items():
            response.cookies[name] = value

        requested = sub_response.get("Cache-Control", "")
        private = (
            staff
            or getattr(request, "graphql_private", False)
            or "private" in requested
            or "no-store" in requested
            or bool(sub_response.cookies)
        )
        if private:
            return self._cache_headers(request, response, private=True)
        tags = " ".join(
            cache_tags.response_tags(seen, document, operation_name, result.data, self.schema)
        )
        ok = not result.errors and response.status_code == 200
        if key is not None and ok:
            response_cache.store(key, response.content, tags)
        return self._cache_headers(request, response, private=False, tags=tags, ok=ok)

    def _cache_headers(self, request, response, *, private, tags="", ok=False):
        """Public, tagged and revalidatable for a good anonymous GET; otherwise not stored."""
        patch_vary_headers(response, ["Accept"])
        if private:
            response["Cache-Control"] = "private, no-store"
            return response
        if tags:
            response["Cache-Tag"] = tags.replace(" ", ",")
            response["Surrogate-Key"] = tags
        if request.method != "GET" or response.status_code != 200 or not ok:
            response["Cache-Control"] = "no-store"
            return response
        response["Cache-Control"] = (
            f"public, max-age={settings.GRAPHQL_CACHE_MAX_AGE}, "
            f"stale-while-revalidate={settings.GRAPHQL_CACHE_SWR}"
        )
        digest = hashlib.sha256(response["Content-Type"].encode() + response.content)
        etag = f'"{digest.hexdigest()[:40]}"'
        response["ETag"] = etag
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match:
            candidates = {value.removeprefix("W/") for value in parse_etags(if_none_match)}
            if "*" in candidates or etag in candidates:
                not_modified = HttpResponseNotModified()
                for name in _CACHE_HEADERS:
                    if name in response:
                        not_modified[name] = response[name]
                return not_modified
        return response

    def _error_response(self, media_type, status, message, code, headers=None):
        body = {"errors": [{"message": message, "extensions": {"code": code}}]}
        response = HttpResponse(self.encode_json(body), content_type=media_type, status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        response["Cache-Control"] = "no-store"
        return response

    def process_result(self, request, result):
        for error in result.errors or ():
            set_default_code(error)
        return super().process_result(request, result)


graphql_view = csrf_exempt(
    CMSGraphQLView.as_view(
        schema=schema,
        graphql_ide="graphiql" if settings.DEBUG else None,
        allow_queries_via_get=True,
        multipart_uploads_enabled=False,
    )
)
