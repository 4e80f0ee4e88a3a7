"""The life of one operation, the same over every transport (HTTP, multipart, WebSocket).

Schema extensions, in the order the schema lists them:
- `OperationLog` names the operation for the access log and logs WebSocket operations;
- `ErrorPolicy` gives every error a code and masks unexpected ones, logged once with the request id;
- `limits.CachedDocuments` parses and validates (size, depth, aliases, strings), cached by text;
- `WebSocketRateLimit` counts each WebSocket operation against the caller's rate limit;
- `OperationTransaction` runs execution in one transaction: committed when the operation ends
  without errors, rolled back otherwise, with callbacks after a successful commit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

from strawberry.exceptions import MissingQueryError
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from cms.db.faults import Fault, describe, fault_of
from cms.graphql.context import Context, Transport
from cms.services import tokens
from cms.services.errors import Unauthenticated
from cms.services.rate_limits import admit
from cms.vocabulary import ErrorCode, RequestErrorCode
from graphql import ExecutionResult as CoreExecutionResult
from graphql import GraphQLError, GraphQLSyntaxError, OperationDefinitionNode

log = logging.getLogger("cms.graphql")
access_log = logging.getLogger("cms.request")

MASKED = "Unexpected error; the request id tells the operator where to look."
# Raised by Strawberry about the request rather than by any code of ours: never masked.
_REQUEST_PROBLEMS = (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError)


def is_unexpected(error: GraphQLError) -> bool:
    """An error the code did not raise on purpose: a bug or an outage, never shown in detail."""
    original = error.original_error
    return original is not None and not isinstance(original, (GraphQLError, *_REQUEST_PROBLEMS))


def is_request_error(result: Any) -> bool:
    """Errors without a path and no data: the operation never ran (parse, validation, variables)."""
    errors = result.errors or []
    return bool(errors) and result.data is None and all(e.path is None for e in errors)


class ErrorPolicy(SchemaExtension):
    """Every error leaves with `extensions.code`; unexpected ones leave masked, with the request id."""

    def on_operation(self) -> Iterator[None]:
        yield
        self._apply(self.execution_context.result)

    def on_stream_result(self, result: Any) -> Iterator[None]:
        # Over WebSocket a result is sent before the operation ends: apply the policy to each.
        self._apply(result)
        yield

    def _apply(self, result: Any) -> None:
        if result is None or not getattr(result, "errors", None):
            return
        request_error = is_request_error(result)
        request_id = getattr(self.execution_context.context, "request_id", "")
        result.errors = [coded(e, request_error=request_error, request_id=request_id) for e in result.errors]


def coded(error: GraphQLError, *, request_error: bool, request_id: str) -> GraphQLError:
    """The error as clients may see it: with a code, and masked when it was not expected."""
    fault = fault_of(error.original_error) if is_unexpected(error) else None
    if fault is not None:
        log.warning(
            "%s request_id=%s path=%s: %s", fault.name.lower(), request_id, error.path, describe(error.original_error)
        )
        retry = RequestErrorCode.TIMEOUT if fault is Fault.TIMEOUT else RequestErrorCode.SERVICE_UNAVAILABLE
        return GraphQLError(fault.value, error.nodes, path=error.path, extensions={"code": retry.value})
    if is_unexpected(error):
        log.error("unexpected error request_id=%s path=%s", request_id, error.path, exc_info=error.original_error)
        extensions = {"code": RequestErrorCode.INTERNAL_SERVER_ERROR.value, "requestId": request_id}
        return GraphQLError(MASKED, error.nodes, path=error.path, extensions=extensions)
    if error.extensions and "code" in error.extensions:
        return error
    if isinstance(error, GraphQLSyntaxError):
        code: str = RequestErrorCode.GRAPHQL_PARSE_FAILED
    elif request_error or isinstance(error.original_error, _REQUEST_PROBLEMS):
        # Validation errors carry their code from `limits`; what is left before execution is
        # the request's own fault: variables of the wrong type, an operation it did not name.
        code = RequestErrorCode.BAD_REQUEST
    else:
        code = ErrorCode.INVALID
    return GraphQLError(
        error.message,
        error.nodes,
        error.source,
        error.positions,
        error.path,
        error.original_error,
        {**(error.extensions or {}), "code": str(code)},
    )


class WebSocketRateLimit(SchemaExtension):
    """Counts each operation of a WebSocket against its caller's rate limit (its token's, else
    its address's), as the view counts each HTTP request; past it, the operation is answered
    RATE_LIMITED (with `retryAfter`) and does not run."""

    def on_execute(self) -> Iterator[None]:
        ec = self.execution_context
        context: Context = ec.context
        if context.transport is Transport.WEBSOCKET and context.limits is not None and ec.result is None:
            viewer = context.viewer
            caller = f"address:{context.client_address}" if viewer.is_anonymous else f"token:{viewer.token_id}"
            writes = ec.operation_type is OperationType.MUTATION
            decision = admit(context.limits, context.settings, caller, writes=writes, anonymous=viewer.is_anonymous)
            if not decision.allowed:
                extensions = {"code": RequestErrorCode.RATE_LIMITED.value, "retryAfter": decision.retry_after}
                ec.result = CoreExecutionResult(
                    data=None, errors=[GraphQLError(decision.message, extensions=extensions)]
                )
        yield


class OperationTransaction(SchemaExtension):
    """One transaction per operation, around execution only: a document that does not parse or
    validate never takes a connection."""

    async def on_execute(self) -> AsyncIterator[None]:
        ec = self.execution_context
        base: Context = ec.context
        async with base.sessionmaker() as session:
            viewer = base.viewer
            if base.transport is Transport.WEBSOCKET and base.credentials is not None:
                # A connection lives long: its token may be revoked or expire meanwhile.
                try:
                    viewer = await tokens.authenticate(session, base.credentials)
                except Unauthenticated as exc:
                    error = GraphQLError(exc.message, extensions={"code": ErrorCode.UNAUTHENTICATED.value})
                    ec.result = CoreExecutionResult(data=None, errors=[error])
            context = base.for_operation(session, viewer)
            ec.context = context
            try:
                yield
            except Exception:
                await session.rollback()
                await _run(context.after_rollback, "after-rollback", context)
                raise
            result = ec.result
            if result is None or result.errors:
                await session.rollback()
                await _run(context.after_rollback, "after-rollback", context)
                return
            try:
                await session.commit()
            except Exception as exc:
                # The operation's writes are lost: report the failure it is, masked by ErrorPolicy.
                await session.rollback()
                await _run(context.after_rollback, "after-rollback", context)
                _replace(result, GraphQLError("commit failed", original_error=exc))
                return
        await _run(context.after_commit, "after-commit", context)


async def _run(callbacks: list[Callable[[], Awaitable[None]]], kind: str, context: Context) -> None:
    """Every callback, in order; one that fails is logged and the others still run: the
    transaction's outcome stands either way, and the operator sees what was left undone."""
    for callback in callbacks:
        try:
            await callback()
        except Exception:
            log.exception("%s callback failed request_id=%s", kind, context.request_id)


def _replace(result: Any, error: GraphQLError) -> None:
    result.data = None
    result.errors = [error]


class OperationLog(SchemaExtension):
    """Names the operation in the HTTP access log; logs one line per WebSocket operation."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            # In `finally`: over WebSocket, a refused document closes the operation early.
            self._log(time.perf_counter() - started)

    def _log(self, seconds: float) -> None:
        ec = self.execution_context
        context: Context = ec.context
        name = _operation_name(ec)
        if context.transport is Transport.HTTP and context.request is not None:
            context.request.state.operation_name = name
        elif context.transport is Transport.WEBSOCKET:
            errors = getattr(ec.result, "errors", None)
            access_log.info(
                "WS /graphql op=%s status=%s duration_ms=%.1f request_id=%s",
                name or "-",
                "error" if errors else "ok",
                seconds * 1000,
                context.request_id,
            )


def _operation_name(ec: Any) -> str | None:
    """The operation's name as the client chose it: given, or the name of the only operation."""
    provided: str | None = getattr(ec, "_provided_operation_name", None)
    if provided is not None or ec.graphql_document is None:
        return provided
    operations = [d for d in ec.graphql_document.definitions if isinstance(d, OperationDefinitionNode)]
    return operations[0].name.value if len(operations) == 1 and operations[0].name else None
