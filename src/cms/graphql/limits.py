"""What a document may be, checked once per document text: size, depth, aliases, strings.

The rules are built once per schema, so one cache keyed by the document's text serves every
request and every transport: a document seen before is neither parsed nor validated again.
Variables change per request and are checked every time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.schema.schema import validate_document

from cms.vocabulary import ErrorCode, RequestErrorCode
from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    StringValueNode,
    ValidationRule,
    parse,
    specified_rules,
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
            self.report_error(GraphQLError(UNSTORABLE, node, extensions={"code": ErrorCode.INVALID.value}))


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
        self.load = lru_cache(maxsize=maxsize)(self._load)

    def _load(self, text: str) -> tuple[DocumentNode, tuple[GraphQLError, ...]]:
        # A syntax error raises, and exceptions are not cached: Strawberry parses such a text
        # itself and reports the error as usual.
        document = parse(text, max_tokens=self.max_tokens)
        return document, tuple(self.validate(document))

    def validate(self, document: DocumentNode) -> list[GraphQLError]:
        return validate_document(self._schema(), document, self.rules)


class CachedDocuments(SchemaExtension):
    """Parses and validates through `Documents`, then checks what changes per request."""

    def __init__(self, documents: Documents) -> None:
        self.documents = documents
        self._errors: tuple[GraphQLError, ...] | None = None

    def on_parse(self) -> Iterator[None]:
        ec = self.execution_context
        ec.parse_options["max_tokens"] = self.documents.max_tokens
        if ec.query and ec.graphql_document is None:
            with contextlib.suppress(GraphQLError):
                ec.graphql_document, self._errors = self.documents.load(ec.query)
        yield

    def on_validate(self) -> Iterator[None]:
        ec = self.execution_context
        assert ec.graphql_document is not None
        errors = list(self._errors if self._errors is not None else self.documents.validate(ec.graphql_document))
        if not errors:
            errors += _operation_choice(ec.graphql_document, getattr(ec, "_provided_operation_name", None))
        if not errors and has_unstorable(ec.variables):
            errors.append(GraphQLError(UNSTORABLE, extensions={"code": ErrorCode.INVALID.value}))
        # Strawberry validates only while pre_execution_errors is None; a list, even empty, says done.
        ec.pre_execution_errors = errors
        yield


def _operation_choice(document: DocumentNode, name: str | None) -> list[GraphQLError]:
    """A document of several operations must say which one to run."""
    count = sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)
    if name is None and count > 1:
        message = "the document holds several operations: name the one to run in operationName"
        return [GraphQLError(message, extensions={"code": RequestErrorCode.BAD_REQUEST.value})]
    return []
