"""/graphql over HTTP (GraphQL over HTTP, the multipart request spec) and WebSocket
(graphql-transport-ws): Strawberry's ASGI view with the CMS's context getter and HTTP rules.

Only what is particular to HTTP lives here: media types (`application/graphql-response+json`
when accepted, with 4xx for request errors), 405/406/413/415, the multipart CSRF rule, and
caching of anonymous GET responses (Cache-Control, ETag, 304). Authentication, the transaction,
limits, error masking and logging are shared by every transport (`context`, `lifecycle`).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import uuid
from collections.abc import Mapping
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from cms import tracing
from cms.auth import BadCredentials, bearer_secret
from cms.config import Settings
from cms.db.faults import Fault, describe, fault_of
from cms.graphql.compiled import CompiledReads
from cms.graphql.context import Context, Transport, authenticate, authorization_param, media_files
from cms.graphql.ide import graphiql_html
from cms.graphql.lifecycle import MASKED, coded, is_request_error
from cms.graphql.limits import Documents
from cms.graphql.persisted import PersistedQueries, PersistedQueryError, requested_hash
from cms.graphql.reads import Read, Reads, surrogate_keys
from cms.graphql.response_cache import ResponseCache, SharedResponses
from cms.http import JSON, BodyTooLarge, content_type, refusal
from cms.metrics import Metrics
from cms.services.errors import Unauthenticated
from cms.services.rate_limits import RateLimiter, admit
from cms.services.views import ViewRecorder
from cms.storage import Storage
from cms.vocabulary import ErrorCode, RequestErrorCode
from graphql import GraphQLError, OperationDefinitionNode
from graphql import OperationType as AstOperationType

log = logging.getLogger("cms.graphql")

GRAPHQL_RESPONSE = "application/graphql-response+json"
MULTIPART = "multipart/form-data"
# A browser sends none of these cross-site without a CORS preflight, which makes a multipart
# upload (a "simple" request otherwise) safe from CSRF, as Apollo Server and its clients agree.
PREFLIGHT_HEADERS = ("apollo-require-preflight", "x-apollo-operation-name", "graphql-require-preflight")


class RequestError(Exception):
    """The request is not a GraphQL request the server can run."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str = RequestErrorCode.BAD_REQUEST,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.headers = status, message, str(code), dict(headers or {})


def _media_type(request: Request) -> str:
    accept = request.headers.get("accept", "")
    if not accept.strip():
        # As the GraphQL over HTTP spec says since its watershed (2025): no Accept is the new type.
        return GRAPHQL_RESPONSE
    kinds = {part.split(";")[0].strip().lower() for part in accept.split(",")}
    if GRAPHQL_RESPONSE in kinds:
        return GRAPHQL_RESPONSE
    if kinds & {JSON, "application/*", "*/*"}:
        return JSON
    raise RequestError(406, f"this endpoint answers with {GRAPHQL_RESPONSE} or {JSON}", RequestErrorCode.NOT_ACCEPTABLE)


class GraphQLEndpoint(GraphQL[Context, None]):
    def __init__(
        self,
        schema: Any,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        storage: Storage,
        views: ViewRecorder,
        cache: ResponseCache | None = None,
        limits: RateLimiter | None = None,
        metrics: Metrics | None = None,
        shared: SharedResponses | None = None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.graphiql or settings.debug else None,
            multipart_uploads_enabled=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            # Browsers on other origins may open a WebSocket only where CORS lets them call.
            allowed_origins=settings.cors_origins,
        )
        self.settings, self.sessionmaker, self.storage, self.views = settings, sessionmaker, storage, views
        self.persisted = PersistedQueries(sessionmaker)
        self.limits = limits if limits is not None else RateLimiter(sessionmaker)
        self.metrics, self.shared = metrics, shared
        self.reads = Reads(schema.documents, self.persisted, cache if cache is not None else ResponseCache())
        self.compiled = (
            CompiledReads(
                schema._schema,
                sessionmaker,
                default_locale=settings.default_locale,
                max_cost=settings.max_cost_anonymous,
                connections=settings.db_pool_size,
                metrics=metrics,
            )
            if settings.compiled_reads
            else None
        )

    # The ASGI entry point.

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await self._answer(request)
        except BodyTooLarge:
            raise  # the middleware that set the limit answers 413
        except RequestError as exc:
            response = refusal(exc.status, exc.message, exc.code, exc.headers)
        except HTTPException as exc:  # raised by Strawberry's own parsing, e.g. of a multipart body
            response = refusal(exc.status_code, exc.reason, RequestErrorCode.BAD_REQUEST)
        except Exception as exc:  # e.g. the database went away while authenticating: still a GraphQL answer
            request_id = getattr(request.state, "request_id", "")
            fault = fault_of(exc)
            if fault is None:
                log.exception("request failed request_id=%s", request_id)
            else:
                log.warning("%s request_id=%s: %s", fault.name.lower(), request_id, describe(exc))
                code = RequestErrorCode.TIMEOUT if fault is Fault.TIMEOUT else RequestErrorCode.SERVICE_UNAVAILABLE
                response = refusal(503, fault.value, code, {"Retry-After": str(RETRY_AFTER_SECONDS)})
                await response(scope, receive, send)
                return
            body = {"errors": [{"message": MASKED, "extensions": _internal(request_id)}]}
            response = Response(orjson.dumps(body), 500, {"Cache-Control": "no-store"}, JSON)
        finally:
            await request.close()  # the spooled files of a multipart body
        await response(scope, receive, send)

    async def _answer(self, request: Request) -> Response:
        if self.graphql_ide and request.method == "GET" and "query" not in request.query_params:
            return HTMLResponse(graphiql_html())
        if request.method == "OPTIONS":  # not a CORS preflight (the middleware answers those)
            return Response(status_code=204, headers={"Allow": "GET, POST, OPTIONS"})
        request.state.media_type = _media_type(request)
        if request.method not in ("GET", "POST"):
            raise RequestError(
                405, "use GET for queries or POST", RequestErrorCode.METHOD_NOT_ALLOWED, {"Allow": "GET, POST"}
            )
        if request.method == "POST":
            kind = content_type(request)
            if kind not in (JSON, MULTIPART):
                raise RequestError(
                    415, f"send the request as {JSON} or {MULTIPART}", RequestErrorCode.UNSUPPORTED_MEDIA_TYPE
                )
            if kind == MULTIPART and not any(request.headers.get(h) for h in PREFLIGHT_HEADERS):
                raise RequestError(
                    400, "a multipart request needs an Apollo-Require-Preflight header (CSRF protection)"
                )
        read = await self.reads.prepare(request)
        response, store = None, None
        if read is not None:
            self._admit_anonymous_read(request)
            cache = self.reads.cache
            hit = cache.get(read.key)
            if hit is None and self.shared is not None and cache.keep_seconds() is not None:
                store, hit = await self.shared.get(read.key)
                if hit is not None:
                    cache.put(read.key, hit.body, hit.etag, hit.surrogate, generation=read.generation)
            if hit is not None:
                return self._shared(request, hit.body, hit.etag, hit.surrogate, cached=True)
            response = await self._compiled(request, read)
        if response is None:
            response = self._finish(request, await self.run(request))
        shared = getattr(request.state, "shared", None)
        if read is not None and shared is not None:
            self.reads.cache.put(read.key, *shared, generation=read.generation)
            seconds = self.reads.cache.keep_seconds()
            if store is not None and self.shared is not None and seconds and read.generation == cache.generation:
                body, etag, surrogate = shared
                await self.shared.put(store, read.key, body, etag, surrogate, seconds)
        return response

    async def _compiled(self, request: Request, read: Read) -> Response | None:
        """The answer of the operation's compiled statement (`compiled`), or None when it does
        not compile: the resolvers answer that, and every error."""
        if self.compiled is None:
            return None
        files = media_files(self.settings, request)
        plan = self.compiled.plan(read.key, read.document, read.operation_name, read.variables, files=files)
        if plan is None:
            return None
        request.state.cost, request.state.role, request.state.anonymous = plan.cost, "anonymous", True
        name = read.operation.name.value if read.operation.name else None
        request.state.operation_name = name
        with tracing.span("GraphQL Query (compiled)", **{"graphql.operation.name": name or ""}):
            body = await self.compiled.run(plan.statement)
        request.state.shared = (body, _etag(body), " ".join(surrogate_keys(body)))
        return self._shared(request, *request.state.shared)

    def _finish(self, request: Request, response: Response) -> Response:
        """Status, media type and caching, once the result is known."""
        media_type: str = request.state.media_type
        outcome: _Outcome = request.state.outcome
        status = 400 if outcome.request_error and media_type == GRAPHQL_RESPONSE else 200
        if outcome.internal_request_error:
            status = 500
        if outcome.retryable:  # the database away, or the time budget spent: worth trying again
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            status = 503
        shareable = request.state.anonymous and not outcome.errors and not getattr(request.state, "no_store", False)
        if shareable:
            body = bytes(response.body)
            request.state.shared = (body, _etag(body), " ".join(surrogate_keys(body)))
            return self._shared(request, *request.state.shared)
        response.status_code = status
        response.headers.update({"Cache-Control": "no-store", "Vary": VARY, "Content-Type": media_type})
        return response

    def _shared(
        self, request: Request, body: bytes, etag: str, surrogate: str | None, *, cached: bool = False
    ) -> Response:
        """An answer any reader may be given (from the response cache or just made): over GET, for
        HTTP caches too, with an ETag (304 when the client has it) and surrogate keys for a CDN.
        X-Cache says whether this process's response cache answered."""
        state = {"X-Cache": "HIT" if cached else "MISS"}
        if request.method != "GET":
            return Response(body, 200, {"Cache-Control": "no-store", "Vary": VARY, **state}, request.state.media_type)
        s = self.settings
        headers = {
            **state,
            "Cache-Control": (
                f"public, max-age={s.public_max_age}, s-maxage={s.shared_max_age}, "
                f"stale-while-revalidate={s.stale_while_revalidate}"
            ),
            "Vary": VARY,
            "ETag": etag,
        }
        if surrogate:
            headers["Surrogate-Key"] = surrogate
            headers["Cache-Tag"] = surrogate.replace(" ", ",")
        if etag in (t.strip().removeprefix("W/") for t in request.headers.get("if-none-match", "").split(",")):
            return Response(status_code=304, headers=headers)
        return Response(body, 200, headers, request.state.media_type)

    # Strawberry's hooks.

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        """The context getter of every transport: who is calling, and what they may use."""
        if isinstance(request, WebSocket):
            # Authenticated at connection_init (on_ws_connect) and again before every operation.
            return Context(
                self.settings, self.sessionmaker, request=request, request_id=uuid.uuid4().hex,
                transport=Transport.WEBSOCKET, storage=self.storage, views=self.views,
                limits=self.limits if self.settings.rate_limits else None,
            )  # fmt: skip
        try:
            viewer = await authenticate(self.sessionmaker, request.headers.get("authorization"))
        except (BadCredentials, Unauthenticated) as exc:
            raise RequestError(401, str(exc), ErrorCode.UNAUTHENTICATED, {"WWW-Authenticate": "Bearer"}) from None
        request.state.anonymous = viewer.is_anonymous
        request.state.role = viewer.role.value if viewer.role is not None else "anonymous"
        request_id: str = getattr(request.state, "request_id", "")
        return Context(
            self.settings, self.sessionmaker, viewer, request=request, request_id=request_id,
            transport=Transport.HTTP, storage=self.storage, views=self.views,
        )  # fmt: skip

    async def on_ws_connect(self, context: Context) -> None:
        """graphql-transport-ws `connection_init`: the token from its payload or the handshake."""
        assert isinstance(context.request, WebSocket)
        authorization = authorization_param(context.connection_params) or context.request.headers.get("authorization")
        try:
            secret = bearer_secret(authorization)
            context.viewer = await authenticate(self.sessionmaker, authorization)
        except (BadCredentials, Unauthenticated):
            raise ConnectionRejectionError({"code": ErrorCode.UNAUTHENTICATED.value}) from None
        context.credentials = secret

    def should_render_graphql_ide(self, request: Any) -> bool:
        return False  # answered in _answer, before any other rule

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData:
        if request.method == "GET":
            params: Any = dict(request.query_params)
            for key in ("variables", "extensions"):
                if key in params:
                    params[key] = self._json(params[key], f"{key} must be a JSON object")
        elif _content_type_of(request) == MULTIPART:
            params = await self.parse_multipart(request)
        else:
            params = self.parse_json(await request.get_body())
        if not isinstance(params, dict):
            raise RequestError(400, "the body must be a JSON object")
        query, variables, name = params.get("query"), params.get("variables"), params.get("operationName")
        try:
            digest = requested_hash(params.get("extensions"))
            if digest is not None:
                query = await self.persisted.resolve(query if isinstance(query, str) else None, digest)
        except PersistedQueryError as exc:
            # Apollo's clients send the document when told, in these words, with a 200.
            status = 200 if exc.code is RequestErrorCode.PERSISTED_QUERY_NOT_FOUND else 400
            raise RequestError(status, exc.message, exc.code) from None
        if not isinstance(query, str) or not query.strip():
            raise RequestError(400, "query must be a non-empty string")
        if not isinstance(variables or {}, dict):
            raise RequestError(400, "variables must be a JSON object")
        if name is not None and not isinstance(name, str):
            raise RequestError(400, "operationName must be a string")
        extensions = params.get("extensions")
        return GraphQLRequestData(
            query=query,
            variables=variables,
            operation_name=name,
            extensions=extensions if isinstance(extensions, dict) else None,
        )

    def parse_json(self, data: str | bytes) -> Any:
        # orjson refuses lone surrogates as invalid JSON text; say what is wrong either way.
        return self._json(data, "the body is not valid JSON (or holds a lone surrogate)")

    @staticmethod
    def _json(data: str | bytes, message: str, code: str = RequestErrorCode.BAD_REQUEST) -> Any:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            raise RequestError(400, message, code) from None

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    def encode_json(self, data: object) -> str:
        # graphql-transport-ws messages are text frames; HTTP bodies are encoded in create_response.
        return orjson.dumps(data).decode()

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        if request_data.query:
            with contextlib.suppress(GraphQLError):  # bad syntax: Strawberry answers it
                await self.reads.documents.prepare(request_data.query)
        self._admit(context, request_data)
        allowed = (
            {OperationType.QUERY} if request_adapter.method == "GET" else {OperationType.QUERY, OperationType.MUTATION}
        )
        try:
            return await self.schema.execute(
                request_data.query,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except InvalidOperationTypeError as exc:
            if exc.operation_type is OperationType.SUBSCRIPTION:
                raise RequestError(400, "subscriptions run over a WebSocket (graphql-transport-ws)") from None
            raise RequestError(
                405, "mutations need POST", RequestErrorCode.METHOD_NOT_ALLOWED, {"Allow": "POST"}
            ) from None
        except CannotGetOperationTypeError as exc:
            raise RequestError(400, exc.as_http_error_reason()) from None
        except MissingQueryError:
            raise RequestError(400, "query must be a non-empty string") from None

    def _admit(self, context: Context, request_data: GraphQLRequestData) -> None:
        """Count the request against its caller's rate limit (a token's, else its address's),
        writes apart from reads, unless it was counted before the response cache. Raises
        RequestError (429) past it."""
        request = context.request
        if not self.settings.rate_limits or (request is not None and getattr(request.state, "admitted", False)):
            return
        viewer = context.viewer
        writes = _is_mutation(self.reads.documents, request_data.query, request_data.operation_name)
        if viewer.is_anonymous:
            self._count(f"address:{context.client_address}", writes, anonymous=True)
        else:
            self._count(f"token:{viewer.token_id}", writes, anonymous=False)

    def _admit_anonymous_read(self, request: Request) -> None:
        """Count an anonymous query before the response cache may answer it: cached answers are
        cheap, but a limit is a limit. Raises RequestError (429)."""
        if self.settings.rate_limits:
            client = request.client.host if request.client is not None else None
            self._count(f"address:{client}", writes=False, anonymous=True)
            request.state.admitted = True

    def _count(self, caller: str, writes: bool, *, anonymous: bool) -> None:
        decision = admit(self.limits, self.settings, caller, writes=writes, anonymous=anonymous)
        if not decision.allowed:
            if self.metrics is not None:
                self.metrics.rate_limited.labels(decision.kind).inc()
            raise RequestError(
                429, decision.message, RequestErrorCode.RATE_LIMITED, {"Retry-After": str(decision.retry_after)}
            )

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        request_id: str = getattr(request.state, "request_id", "")
        request_error = is_request_error(result)
        # ErrorPolicy has coded every error of the operation; this also covers one raised around it.
        errors = [coded(e, request_error=request_error, request_id=request_id).formatted for e in result.errors or []]
        body: dict[str, Any] = {}
        if errors:
            body["errors"] = errors
        if not request_error:
            body["data"] = result.data
        if result.extensions:
            body["extensions"] = result.extensions
        request.state.outcome = _Outcome(
            errors=bool(errors),
            retryable=any(e["extensions"]["code"] in RETRYABLE for e in errors),
            request_error=request_error,
            internal_request_error=request_error
            and any(e["extensions"]["code"] == RequestErrorCode.INTERNAL_SERVER_ERROR for e in errors),
        )
        return body  # type: ignore[return-value]

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        return Response(orjson.dumps(response_data), media_type=JSON)


VARY = "Accept, Authorization"
RETRY_AFTER_SECONDS = 1
RETRYABLE = {RequestErrorCode.SERVICE_UNAVAILABLE, RequestErrorCode.TIMEOUT}


def _is_mutation(documents: Documents, query: str | None, name: str | None) -> bool:
    try:
        document = documents.load(query or "")
    except GraphQLError:
        return False  # it will not run
    return any(
        isinstance(d, OperationDefinitionNode)
        and d.operation is AstOperationType.MUTATION
        and (name is None or (d.name is not None and d.name.value == name))
        for d in document.node.definitions
    )


def _etag(body: bytes) -> str:
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


class _Outcome:
    __slots__ = ("errors", "internal_request_error", "request_error", "retryable")

    def __init__(self, *, errors: bool, retryable: bool, request_error: bool, internal_request_error: bool) -> None:
        self.errors, self.retryable = errors, retryable
        self.request_error, self.internal_request_error = request_error, internal_request_error


def _content_type_of(request: AsyncHTTPRequestAdapter) -> str:
    return (request.content_type or "").split(";")[0].strip().lower()


def _internal(request_id: str) -> dict[str, str]:
    return {"code": RequestErrorCode.INTERNAL_SERVER_ERROR.value, "requestId": request_id}
