"""The /graphql endpoint, after the GraphQL over HTTP specification.

POST application/json runs queries and mutations; GET runs queries only. Responses are
`application/graphql-response+json` when the client accepts it (request errors then get a
4xx status), else `application/json`. One transaction per operation: committed when the
operation ends without errors, rolled back otherwise.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from strawberry.exceptions import MissingQueryError
from strawberry.http.ides import get_graphql_ide_html
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from cms.auth import ANONYMOUS, BadCredentials, bearer_token
from cms.config import Settings
from cms.graphql.context import Context
from cms.graphql.schema import UNSTORABLE, Schema, has_unstorable, is_unexpected
from cms.services import users
from cms.services.errors import Unauthenticated
from graphql import GraphQLError

log = logging.getLogger("cms.graphql")

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


class RequestError(Exception):
    """The request is not a GraphQL request the server can run."""

    def __init__(self, status: int, message: str, code: str = "BAD_REQUEST", headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.code, self.headers = status, message, code, headers or {}


def _media_type(request: Request) -> str:
    accept = request.headers.get("accept", "")
    if not accept.strip():
        return JSON
    kinds = {part.split(";")[0].strip().lower() for part in accept.split(",")}
    if GRAPHQL_RESPONSE in kinds:
        return GRAPHQL_RESPONSE
    if kinds & {JSON, "application/*", "*/*"}:
        return JSON
    raise RequestError(406, f"this endpoint answers with {GRAPHQL_RESPONSE} or {JSON}", "NOT_ACCEPTABLE")


def _has_unstorable(value: Any) -> bool:
    if isinstance(value, str):
        return has_unstorable(value)
    if isinstance(value, dict):
        return any(_has_unstorable(k) or _has_unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_unstorable(v) for v in value)
    return False


async def _params(request: Request) -> tuple[dict[str, Any], set[OperationType]]:
    if request.method == "GET":
        params: dict[str, Any] = dict(request.query_params)
        for key in ("variables", "extensions"):
            if key in params:
                try:
                    params[key] = orjson.loads(params[key])
                except orjson.JSONDecodeError:
                    raise RequestError(400, f"{key} must be a JSON object") from None
        return params, {OperationType.QUERY}
    if request.method != "POST":
        raise RequestError(405, "use GET for queries or POST", "METHOD_NOT_ALLOWED", {"Allow": "GET, POST"})
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != JSON:
        raise RequestError(415, "send the request as application/json", "UNSUPPORTED_MEDIA_TYPE")
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        # orjson refuses lone surrogates as invalid JSON text; say what is wrong either way.
        raise RequestError(400, "the body is not valid JSON (or holds a lone surrogate)", "INVALID") from None
    if not isinstance(body, dict):
        raise RequestError(400, "the body must be a JSON object")
    return body, {OperationType.QUERY, OperationType.MUTATION}


def _check(params: dict[str, Any]) -> None:
    if not isinstance(params.get("query"), str) or not params["query"].strip():
        raise RequestError(400, "query must be a non-empty string")
    if not isinstance(params.get("variables") or {}, dict):
        raise RequestError(400, "variables must be a JSON object")
    if not isinstance(params.get("operationName") or "", str):
        raise RequestError(400, "operationName must be a string")
    if _has_unstorable(params):
        raise RequestError(400, UNSTORABLE, "INVALID")


class GraphQLView:
    def __init__(self, schema: Schema, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.schema, self.settings, self.sessionmaker = schema, settings, sessionmaker

    async def __call__(self, request: Request) -> Response:
        request_id: str = getattr(request.state, "request_id", "")
        try:
            if self.settings.debug and request.method == "GET" and "query" not in request.query_params:
                return HTMLResponse(get_graphql_ide_html(graphql_ide="graphiql"))
            media_type = _media_type(request)
            params, allowed = await _params(request)
            _check(params)
            request.state.operation_name = params.get("operationName")
            return await self._execute(request, params, allowed, media_type, request_id)
        except RequestError as exc:
            return self._refuse(exc)
        except Exception:  # e.g. the database went away while authenticating: still a GraphQL answer
            log.exception("request failed request_id=%s", request_id)
            extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
            body = {
                "errors": [
                    {
                        "message": "Unexpected error; the request id tells the operator where to look.",
                        "extensions": extensions,
                    }
                ]
            }
            return Response(orjson.dumps(body), 500, {"Cache-Control": "no-store"}, JSON)

    def _refuse(self, exc: RequestError) -> Response:
        body = {"errors": [{"message": exc.message, "extensions": {"code": exc.code}}]}
        headers = {"Cache-Control": "no-store", **exc.headers}
        if exc.code == "UNAUTHENTICATED":
            headers["WWW-Authenticate"] = "Bearer"
        return Response(orjson.dumps(body), exc.status, headers, JSON)

    async def _execute(
        self, request: Request, params: dict[str, Any], allowed: set[OperationType], media_type: str, request_id: str
    ) -> Response:
        async with self.sessionmaker() as session:
            viewer = ANONYMOUS
            try:
                token = bearer_token(request)
                if token is not None:
                    viewer = await users.authenticate(session, token)
                    await session.commit()  # keeps lastUsedAt even when the operation fails
            except (BadCredentials, Unauthenticated) as exc:
                raise RequestError(401, str(exc), "UNAUTHENTICATED") from None
            context = Context.build(
                session=session, settings=self.settings, viewer=viewer, request=request, request_id=request_id
            )
            try:
                result = await self.schema.execute(
                    params["query"],
                    variable_values=params.get("variables"),
                    context_value=context,
                    operation_name=params.get("operationName"),
                    allowed_operation_types=allowed,
                )
            except InvalidOperationTypeError:
                raise RequestError(405, "mutations need POST", "METHOD_NOT_ALLOWED", {"Allow": "POST"}) from None
            except MissingQueryError:
                raise RequestError(400, "query must be a non-empty string") from None
            if result.errors:
                await session.rollback()
            else:
                try:
                    await session.commit()
                except Exception:  # the operation's writes are lost: report it as the failure it is
                    log.exception("commit failed request_id=%s", request_id)
                    await session.rollback()
                    result = ExecutionResult(
                        data=None, errors=[GraphQLError("commit failed", original_error=RuntimeError())]
                    )
        return self._respond(request, result, media_type, viewer.is_anonymous, request_id)

    def _format_error(self, error: GraphQLError, request_error: bool, request_id: str) -> dict[str, Any]:
        if is_unexpected(error):
            log.error("unexpected error request_id=%s path=%s", request_id, error.path, exc_info=error.original_error)
            if not self.settings.debug:
                out: dict[str, Any] = {"message": "Unexpected error; the request id tells the operator where to look."}
                if error.path:
                    out["path"] = error.path
                out["extensions"] = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
                return out
        formatted: dict[str, Any] = dict(error.formatted)
        extensions = dict(formatted.get("extensions") or {})
        if "code" not in extensions:
            if error.message.startswith("Syntax Error"):
                extensions["code"] = "GRAPHQL_PARSE_FAILED"
            elif request_error:
                extensions["code"] = "GRAPHQL_VALIDATION_FAILED"
            elif is_unexpected(error):
                extensions["code"] = "INTERNAL_SERVER_ERROR"
            else:
                extensions["code"] = "INVALID"
        formatted["extensions"] = extensions
        return formatted

    def _respond(
        self, request: Request, result: ExecutionResult, media_type: str, anonymous: bool, request_id: str
    ) -> Response:
        # Errors without a path and no data: the request never ran (parse or validation failed).
        # A field error that nulls all of `data` is still an executed operation.
        errors = result.errors or []
        request_error = bool(errors) and result.data is None and all(e.path is None for e in errors)
        body: dict[str, Any] = {}
        if result.errors:
            body["errors"] = [self._format_error(e, request_error, request_id) for e in result.errors]
        if not request_error:
            body["data"] = result.data
        status = 400 if request_error and media_type == GRAPHQL_RESPONSE else 200
        if request_error and any(e["extensions"]["code"] == "INTERNAL_SERVER_ERROR" for e in body["errors"]):
            status = 500
        content = orjson.dumps(body)
        cacheable = request.method == "GET" and anonymous and not result.errors
        headers = {
            "Cache-Control": f"public, max-age={self.settings.public_max_age}" if cacheable else "no-store",
            "Vary": "Accept, Authorization",
        }
        if cacheable:
            # A frontend or CDN revalidating an unchanged page gets 304 and no body.
            etag = f'"{hashlib.blake2b(content, digest_size=16).hexdigest()}"'
            headers["ETag"] = etag
            if etag in (t.strip() for t in request.headers.get("if-none-match", "").split(",")):
                return Response(status_code=304, headers=headers)
        return Response(content, status, headers, media_type)
