"""create_app(settings, ...) -> Starlette: routes, middleware, lifespan."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cms.config import Settings
from cms.db.engine import database_url, make_engine, make_sessionmaker
from cms.db.migrate import is_up_to_date
from cms.graphql.schema import make_schema
from cms.graphql.view import GraphQLView

log = logging.getLogger("cms.request")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


class RequestContext:
    """Gives each request an id, caps its body size and logs one line when it ends.

    The line names method, path, operation, status, duration and request id; never headers,
    so bearer tokens stay out of logs.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app, self.max_body_bytes = app, max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            length = dict(scope["headers"]).get(b"content-length")
            if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
                await self._too_large(scope, receive, send_with_id)
                return
            received = 0

            async def capped_receive() -> Message:
                nonlocal received
                message = await receive()
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _BodyTooLarge
                return message

            try:
                await self.app(scope, capped_receive, send_with_id)
            except _BodyTooLarge:
                await self._too_large(scope, receive, send_with_id)
        finally:
            log.info(
                "%s %s op=%s status=%s duration_ms=%.1f request_id=%s",
                scope["method"],
                scope["path"],
                scope["state"].get("operation_name") or "-",
                status,
                (time.perf_counter() - started) * 1000,
                request_id,
            )

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = {
            "errors": [
                {
                    "message": f"the body is larger than {self.max_body_bytes} bytes",
                    "extensions": {"code": "PAYLOAD_TOO_LARGE"},
                }
            ]
        }
        await JSONResponse(body, status_code=413)(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


def create_app(
    settings: Settings,
    *,
    sessionmaker: async_sessionmaker[AsyncSession] | None = None,
    engine: AsyncEngine | None = None,
) -> Starlette:
    """The CMS as an ASGI app. Without a sessionmaker, the lifespan makes the engine."""
    schema = make_schema(settings)
    state: dict[str, object] = {}

    def use(new_engine: AsyncEngine | None, new_sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        state["engine"] = new_engine
        state["view"] = GraphQLView(schema, settings, new_sessionmaker)

    if sessionmaker is not None:
        use(engine, sessionmaker)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if sessionmaker is not None:
            yield
            return
        own = make_engine(database_url(settings))
        use(own, make_sessionmaker(own))
        try:
            yield
        finally:
            await own.dispose()

    async def graphql(request: Request) -> Response:
        view: GraphQLView = state["view"]  # type: ignore[assignment]
        return await view(request)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        current = state.get("engine")
        try:
            if not isinstance(current, AsyncEngine):
                raise RuntimeError("no engine")
            async with current.connect() as conn:
                await conn.execute(text("SELECT 1"))
            if not await is_up_to_date(current):
                return PlainTextResponse("database not migrated: run `cms migrate`", status_code=503)
        except Exception as exc:  # any failure to reach the database means not ready
            log.warning("not ready: %s", type(exc).__name__)
            return PlainTextResponse("database unreachable", status_code=503)
        return PlainTextResponse("ready")

    middleware = [Middleware(RequestContext, max_body_bytes=settings.max_body_bytes)]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type", "Accept", "X-Request-ID"],
                expose_headers=["X-Request-ID"],
                max_age=600,
            )
        )
    routes = [
        # Every method reaches the view, which answers the ones it does not serve in GraphQL form.
        Route("/graphql", graphql, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
    ]
    return Starlette(debug=False, routes=routes, middleware=middleware, lifespan=lifespan)
