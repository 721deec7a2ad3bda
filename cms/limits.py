"""Request limits and error codes of the public GraphQL API.

Query shape limits (depth, aliases, tokens, page sizes, cost) stop expensive or abusive documents
before any resolver runs. Every error a client can cause carries a stable ``extensions.code``;
anything else is an internal error, masked outside development.
"""

from collections.abc import Iterator

from django.conf import settings
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSyntaxError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)
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


class QueryCost(SchemaExtension):
    """Bound the work one request can ask for, before any resolver runs.

    Every connection's ``first``/``last`` must lie in 0..GRAPHQL_MAX_PAGE_SIZE. The cost of a
    document is the number of objects its connections may return, each page size multiplied by
    the sizes of the lists and connections around it (a plain list counts as
    ``GRAPHQL_LIST_ESTIMATE`` items); above ``GRAPHQL_MAX_COST`` the request is refused with
    ``LIMIT_EXCEEDED``. That stops ``authors(first: 100) { articles(first: 100) }`` and its
    aliased copies, whose nested pages are each a query of their own.
    """

    PAGE_ARGUMENTS = ("first", "last")

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operation = _selected_operation(document, context.operation_name)
        if operation is not None:
            schema = context.schema._schema
            root = schema.get_root_type(operation.operation)
            self._fragments = {
                definition.name.value: definition
                for definition in document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }
            self._variables = context.variables or {}
            self._schema = schema
            cost = self._cost(operation.selection_set, root, 1, depth=0)
            if cost > settings.GRAPHQL_MAX_COST:
                raise GraphQLError(
                    f"The query may return {cost} objects; the limit is "
                    f"{settings.GRAPHQL_MAX_COST}. Ask for smaller pages or fewer nested lists.",
                    extensions={"code": LIMIT_EXCEEDED},
                )
        yield

    def _cost(self, selection_set, parent_type, multiplier, depth) -> int:
        if selection_set is None or parent_type is None or depth > 50:
            return 0
        cost = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                cost += self._field_cost(selection, parent_type, multiplier, depth)
            elif isinstance(selection, InlineFragmentNode):
                fragment_type = (
                    self._schema.get_type(selection.type_condition.name.value)
                    if selection.type_condition
                    else parent_type
                )
                cost += self._cost(selection.selection_set, fragment_type, multiplier, depth + 1)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self._fragments.get(selection.name.value)
                if fragment is not None:
                    fragment_type = self._schema.get_type(fragment.type_condition.name.value)
                    cost += self._cost(fragment.selection_set, fragment_type, multiplier, depth + 1)
        return cost

    def _field_cost(self, node, parent_type, multiplier, depth) -> int:
        fields = getattr(parent_type, "fields", None) or {}
        definition = fields.get(node.name.value)
        if definition is None:
            return 0
        field_type = get_named_type(definition.type)
        size, cost = None, 0
        if field_type.name.endswith("Connection"):
            size = self._page_size(node)
            cost = multiplier * size
        elif is_list_type(get_nullable_type(definition.type)) and not (
            parent_type.name.endswith("Connection") and node.name.value == "edges"
        ):
            size = settings.GRAPHQL_LIST_ESTIMATE
        inner = multiplier * size if size is not None else multiplier
        return cost + self._cost(node.selection_set, field_type, inner, depth + 1)

    def _page_size(self, node) -> int:
        size = None
        for argument in node.arguments or ():
            name = argument.name.value
            if name not in self.PAGE_ARGUMENTS:
                continue
            value = argument.value
            if isinstance(value, VariableNode):
                value = self._variables.get(value.name.value)
            elif isinstance(value, IntValueNode):
                value = int(value.value)
            else:
                value = None
            if not isinstance(value, int) or isinstance(value, bool):
                continue  # null takes the default; a wrong type fails variable coercion
            if not 0 <= value <= settings.GRAPHQL_MAX_PAGE_SIZE:
                raise GraphQLError(
                    f"`{name}` must be between 0 and {settings.GRAPHQL_MAX_PAGE_SIZE}; "
                    f"got {value}.",
                    extensions={"code": BAD_USER_INPUT},
                )
            size = value if size is None else min(size, value)
        return settings.GRAPHQL_DEFAULT_PAGE_SIZE if size is None else size


def _selected_operation(document, operation_name):
    if document is None:
        return None
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (
            operation_name is None
            or (definition.name is not None and definition.name.value == operation_name)
        ):
            return definition
    return None


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
