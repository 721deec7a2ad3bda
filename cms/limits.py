"""Request limits and error codes of the public GraphQL API.

Query shape limits (depth, aliases, tokens, page sizes) stop expensive or abusive documents
before any resolver runs. Every error a client can cause carries a stable ``extensions.code``;
anything else is an internal error, masked outside development.
"""

from collections.abc import Iterator

from django.conf import settings
from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLSyntaxError,
    IntValueNode,
    NullValueNode,
    OperationDefinitionNode,
    VariableNode,
    visit,
)
from graphql.language import Visitor
from strawberry.extensions import SchemaExtension, max_aliases, query_depth_limiter
from strawberry.relay.types import GlobalIDValueError

BAD_USER_INPUT = "BAD_USER_INPUT"
LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
INTERNAL = "INTERNAL_SERVER_ERROR"


class _CodedContext:
    """A validation context whose reported errors carry a given code."""

    def __init__(self, context, code):
        self._context, self._code = context, code

    def __getattr__(self, name):
        return getattr(self._context, name)

    def report_error(self, error):
        error.extensions = {**(error.extensions or {}), "code": self._code}
        self._context.report_error(error)


def _coded(rule, code):
    class CodedRule(rule):
        def __init__(self, context):
            super().__init__(_CodedContext(context, code))

    CodedRule.__name__ = rule.__name__
    return CodedRule


def shape_rules():
    """The depth and alias limits, built once so the validation cache keeps hitting."""
    return [
        _coded(
            query_depth_limiter.create_validator(settings.GRAPHQL_MAX_DEPTH, None, None),
            LIMIT_EXCEEDED,
        ),
        _coded(max_aliases.create_validator(settings.GRAPHQL_MAX_ALIASES), LIMIT_EXCEEDED),
    ]


class PageSizeLimit(SchemaExtension):
    """Refuse a ``first`` or ``last`` outside 0..GRAPHQL_MAX_PAGE_SIZE, anywhere in the query.

    Checked once per request with the variables at hand, so nested connections (which the
    optimizer prefetches while resolving their parent) are covered as well as top-level ones.
    """

    ARGUMENTS = ("first", "last")

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        operation = self._operation(context.graphql_document, context.operation_name)
        if operation is not None:
            variables = context.variables or {}
            limit = settings.GRAPHQL_MAX_PAGE_SIZE
            for argument_name, value in self._page_arguments(operation, variables):
                if not isinstance(value, int) or isinstance(value, bool):
                    continue  # null takes the default; a wrong type fails variable coercion
                if not 0 <= value <= limit:
                    raise GraphQLError(
                        f"`{argument_name}` must be between 0 and {limit}; got {value}.",
                        extensions={"code": BAD_USER_INPUT},
                    )
        yield

    @staticmethod
    def _operation(document, operation_name):
        if document is None:
            return None
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        for operation in operations:
            if operation_name is None or (
                operation.name and operation.name.value == operation_name
            ):
                return operation
        return None

    def _page_arguments(self, operation, variables):
        found = []
        document = self.execution_context.graphql_document

        class Collect(Visitor):
            def enter_field(self, node: FieldNode, *args):
                for argument in node.arguments or ():
                    if argument.name.value not in PageSizeLimit.ARGUMENTS:
                        continue
                    value = argument.value
                    if isinstance(value, VariableNode):
                        found.append((argument.name.value, variables.get(value.name.value)))
                    elif isinstance(value, IntValueNode):
                        found.append((argument.name.value, int(value.value)))
                    elif isinstance(value, NullValueNode):
                        found.append((argument.name.value, None))

        # Fragments may hold connection fields too; visiting the whole document is bounded by
        # the token limit.
        visit(document, Collect())
        return found


class ValidationErrorCodes(SchemaExtension):
    """Mark document validation errors, which look like variable errors once they leave here."""

    def on_validate(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or ():
            set_default_code(error, VALIDATION_FAILED)


def set_default_code(error: GraphQLError, code: str | None = None) -> None:
    """Give an error a stable ``extensions.code`` unless it already has one.

    Without ``code``, the code follows from where the error arose: the parser, variable
    coercion and ID parsing are the client's doing; anything raised in a resolver is internal
    (and masked outside development).
    """
    if (error.extensions or {}).get("code"):
        return
    if code is None:
        if isinstance(error, GraphQLSyntaxError):
            too_long = "tokens" in error.message and "Parsing aborted" in error.message
            code = LIMIT_EXCEEDED if too_long else PARSE_FAILED
        elif error.path is None or isinstance(error.original_error, GlobalIDValueError):
            code = BAD_USER_INPUT
        else:
            code = INTERNAL
    error.extensions = {**(error.extensions or {}), "code": code}


def is_internal_error(error: GraphQLError) -> bool:
    """A bug or an outage on our side, as opposed to a client's own mistake."""
    if (error.extensions or {}).get("code"):
        return False
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError | GlobalIDValueError)


def should_mask_error(error: GraphQLError) -> bool:
    """Hide internal errors outside development; a client's mistakes stay readable."""
    return not settings.DEBUG and is_internal_error(error)
