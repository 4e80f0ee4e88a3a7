"""What a document may be, checked once per document text: size, depth, aliases, strings.

The rules are built once per schema, so one cache keyed by the document's text serves every
request and every transport: a document seen before is neither parsed nor validated again, and
one not seen before is parsed and validated away from the event loop.
Variables change per request and are checked every time.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, NamedTuple

from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.schema.schema import validate_document

from cms.graphql import turns
from cms.graphql.cost import operation_cost
from cms.vocabulary import RequestErrorCode
from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    StringValueNode,
    ValidationRule,
    Visitor,
    parse,
    specified_rules,
    visit,
)

UNSTORABLE = "strings must not contain NUL characters or lone surrogates"


def has_unstorable(value: Any) -> bool:
    """NUL cannot be stored in PostgreSQL text; lone surrogates cannot be encoded as UTF-8."""
    if isinstance(value, str):
        return any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return any(has_unstorable(k) or has_unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_unstorable(v) for v in value)
    return False


class NoUnstorableStrings(ValidationRule):
    """Refuses string literals that the database could not store, before anything runs."""

    def enter_string_value(self, node: StringValueNode, *_: object) -> None:
        if has_unstorable(node.value):
            self.report_error(GraphQLError(UNSTORABLE, node, extensions={"code": RequestErrorCode.BAD_REQUEST.value}))


class Document(NamedTuple):
    node: DocumentNode
    errors: tuple[GraphQLError, ...]
    # Asks for the schema itself (__schema, __type), which may be closed to anonymous callers.
    introspects: bool


class Documents:
    """Parsed and validated documents of one schema, by their text (an LRU of `maxsize`)."""

    def __init__(
        self, schema: Callable[[], GraphQLSchema], *, max_depth: int, max_tokens: int, max_aliases: int, maxsize: int
    ) -> None:
        self._schema = schema
        self.max_tokens = max_tokens
        self.rules: tuple[type[ASTValidationRule], ...] = (
            *specified_rules,
            *QueryDepthLimiter(max_depth=max_depth).validation_rules,
            *MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules,
            NoUnstorableStrings,
        )
        self._maxsize = maxsize
        self._known: OrderedDict[str, Document] = OrderedDict()

    def load(self, text: str) -> Document:
        """The document of `text`, parsed and validated once. Raises GraphQLError on bad syntax."""
        found = self._known.get(text)
        if found is None:
            found = self._keep(text, self._load(text))
        else:
            self._known.move_to_end(text)
        return found

    async def prepare(self, text: str) -> Document:
        """`load`, with a document not seen before parsed and validated in a worker thread: a
        large one takes tens of milliseconds, which the event loop spends on other requests."""
        if text not in self._known:
            self._keep(text, await asyncio.to_thread(self._load, text))
        return self.load(text)

    def _keep(self, text: str, document: Document) -> Document:
        self._known[text] = document
        if len(self._known) > self._maxsize:
            self._known.popitem(last=False)
        return document

    def _load(self, text: str) -> Document:
        # A syntax error raises, and exceptions are not cached: Strawberry parses such a text
        # itself and reports the error as usual.
        document = parse(text, max_tokens=self.max_tokens)
        return Document(document, tuple(self.validate(document)), _introspects(document))

    def validate(self, document: DocumentNode) -> list[GraphQLError]:
        return [_coded(e) for e in validate_document(self._schema(), document, self.rules)]


class CachedDocuments(SchemaExtension):
    """Parses and validates through `Documents`, then checks what changes per request."""

    def __init__(self, documents: Documents) -> None:
        self.documents = documents
        self._document: Document | None = None
        self._cost: int | None = None
        self._limit = 0

    async def on_parse(self) -> AsyncIterator[None]:
        ec = self.execution_context
        ec.parse_options["max_tokens"] = self.documents.max_tokens
        if ec.query and ec.graphql_document is None:
            with contextlib.suppress(GraphQLError):
                self._document = await self.documents.prepare(ec.query)
                ec.graphql_document = self._document.node
        yield

    def on_validate(self) -> Iterator[None]:
        ec = self.execution_context
        assert ec.graphql_document is not None
        document = self._document or Document(
            ec.graphql_document, tuple(self.documents.validate(ec.graphql_document)), _introspects(ec.graphql_document)
        )
        errors = list(document.errors)
        context = ec.context
        if errors and not _open_schema(context):
            errors = [_without_suggestions(e) for e in errors]
        if not errors and document.introspects and not _open_schema(context):
            message = "introspection is for signed-in callers here: send a bearer token"
            errors.append(GraphQLError(message, extensions={"code": RequestErrorCode.GRAPHQL_VALIDATION_FAILED.value}))
        if not errors:
            errors += _operation_choice(ec.graphql_document, getattr(ec, "_provided_operation_name", None))
        if not errors and has_unstorable(ec.variables):
            errors.append(GraphQLError(UNSTORABLE, extensions={"code": RequestErrorCode.BAD_REQUEST.value}))
        if not errors:
            errors += self._within_budget(ec.graphql_document, getattr(ec, "_provided_operation_name", None))
        # Strawberry validates only while pre_execution_errors is None; a list, even empty, says done.
        ec.pre_execution_errors = errors
        yield

    def _within_budget(self, document: DocumentNode, operation_name: str | None) -> list[GraphQLError]:
        """Refuses an operation estimated over the caller's budget (anonymous callers have the
        smaller one); keeps the estimate to report when the request asks (extensions.cost)."""
        ec = self.execution_context
        settings = ec.context.settings
        self._cost = operation_cost(ec.schema._schema, document, operation_name, ec.variables)
        request = getattr(ec.context, "request", None)
        if request is not None and request.scope.get("type") == "http":
            request.state.cost = self._cost  # for the request's log line and metrics
        turns.estimated(self._cost)
        anonymous = ec.context.viewer.is_anonymous
        self._limit = settings.max_cost_anonymous if anonymous else settings.max_cost
        if self._cost <= self._limit:
            return []
        message = (
            f"the operation costs about {self._cost}, over the limit of {self._limit}"
            f"{' for anonymous callers' if anonymous else ''}: ask for fewer items (first) or fewer nested lists"
        )
        extensions = {"code": RequestErrorCode.COST_LIMIT_EXCEEDED.value, "cost": self._cost, "limit": self._limit}
        return [GraphQLError(message, extensions=extensions)]

    def get_results(self) -> dict[str, Any]:
        asked = self.execution_context.operation_extensions or {}
        if asked.get("cost") is True and self._cost is not None:
            return {"cost": {"estimated": self._cost, "limit": self._limit}}
        return {}


def _open_schema(context: Any) -> bool:
    """Whether the caller may read the schema: in developer mode, where enabled, or signed in."""
    settings = context.settings
    return bool(
        settings.developer_mode or settings.public_introspection or settings.debug or not context.viewer.is_anonymous
    )


class _Introspection(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_field(self, node: FieldNode, *_: object) -> None:
        if node.name.value in {"__schema", "__type"}:
            self.found = True


def _introspects(document: DocumentNode) -> bool:
    visitor = _Introspection()
    visit(document, visitor)
    return visitor.found


_SUGGESTION = re.compile(r" Did you mean .*\?$")


def _without_suggestions(error: GraphQLError) -> GraphQLError:
    """The error without "Did you mean ...?", which would spell out a closed schema field by field."""
    message = _SUGGESTION.sub("", error.message)
    if message == error.message:
        return error
    return GraphQLError(message, error.nodes, error.source, error.positions, error.path, None, error.extensions)


def _coded(error: GraphQLError) -> GraphQLError:
    """A validation error with its code: the document asks for what the schema has not, or
    breaks a limit."""
    if error.extensions and "code" in error.extensions:
        return error
    extensions = {**(error.extensions or {}), "code": RequestErrorCode.GRAPHQL_VALIDATION_FAILED.value}
    return GraphQLError(error.message, error.nodes, error.source, error.positions, error.path, None, extensions)


def _operation_choice(document: DocumentNode, name: str | None) -> list[GraphQLError]:
    """A document of several operations must say which one to run."""
    count = sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)
    if name is None and count > 1:
        message = "the document holds several operations: name the one to run in operationName"
        return [GraphQLError(message, extensions={"code": RequestErrorCode.BAD_REQUEST.value})]
    return []
