"""create_app(settings, ...) -> Starlette: routes, middleware, lifespan."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send

from cms import tracing
from cms.beacon import Beacon
from cms.config import Settings
from cms.db.engine import database_url, make_engine, make_sessionmaker
from cms.db.migrate import is_up_to_date
from cms.files import MediaFiles
from cms.graphql.response_cache import CacheKeeper, ResponseCache, SharedResponses
from cms.graphql.schema import make_schema
from cms.graphql.view import GraphQLEndpoint
from cms.http import refusal
from cms.metrics import Metrics
from cms.metrics import endpoint as metrics_endpoint
from cms.middleware import Cors, RequestContext
from cms.services.articles.schedule import run_scheduler
from cms.services.rate_limits import RateLimiter, RedisCounts
from cms.services.trending_scores import run_upkeep
from cms.services.views import ViewRecorder
from cms.storage import Storage, make_storage
from cms.vocabulary import RequestErrorCode

log = logging.getLogger("cms.request")


# How often each process adds its rate counts to the shared ones and reads them back.
RATE_SYNC_SECONDS = 0.5


def create_app(
    settings: Settings,
    *,
    sessionmaker: async_sessionmaker[AsyncSession] | None = None,
    engine: AsyncEngine | None = None,
    storage: Storage | None = None,
    views: ViewRecorder | None = None,
) -> Starlette:
    """The CMS as an ASGI app. Without a sessionmaker, the lifespan makes the engine and runs
    the background work (the scheduler, flushing reads, trending upkeep, sharing rate counts,
    the response cache's listener); given one (a test, a script), none of that runs and `views`
    is flushed by whoever made it. Without a storage,
    the settings say where media files are kept."""
    schema = make_schema(settings)
    state: dict[str, object] = {}
    graphql = _Late()
    files = MediaFiles(settings, storage if storage is not None else make_storage(settings))
    beacon = Beacon()
    metrics = Metrics()

    def use(
        new_engine: AsyncEngine | None,
        new_sessionmaker: async_sessionmaker[AsyncSession],
        recorder: ViewRecorder,
        cache: ResponseCache | None = None,
        limits: RateLimiter | None = None,
        shared: SharedResponses | None = None,
    ) -> None:
        state["engine"] = new_engine
        graphql.app = GraphQLEndpoint(
            schema, settings, new_sessionmaker, files.storage, recorder, cache, limits, metrics, shared
        )
        files.sessionmaker = new_sessionmaker
        beacon.views = recorder

    if sessionmaker is not None:
        use(engine, sessionmaker, views or ViewRecorder(sessionmaker, dedupe_minutes=settings.view_dedupe_minutes))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if sessionmaker is not None:
            yield
            return
        own = make_engine(
            database_url(settings),
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_pool_overflow,
            pool_timeout=settings.db_pool_timeout,
            statement_timeout_ms=settings.statement_timeout_ms,
        )
        sessions = make_sessionmaker(own)
        recorder = ViewRecorder(sessions, dedupe_minutes=settings.view_dedupe_minutes)
        cache = ResponseCache()
        # With Redis, processes share their rate counts and their anonymous responses through it.
        # It is a cache: slow or away, it is a miss, not a wait.
        redis = (
            Redis.from_url(settings.redis_url, socket_timeout=0.25, socket_connect_timeout=0.5)
            if settings.redis_url
            else None
        )
        limits = RateLimiter(sessions, counts=RedisCounts(redis) if redis is not None else None)
        shared = SharedResponses(redis) if redis is not None and settings.response_cache else None
        use(own, sessions, recorder, cache, limits, shared)
        metrics.watch_engine(own)
        metrics.watch_cache(cache)
        # Every process runs these; the database lets one record each change and do each job.
        stop = asyncio.Event()
        tasks = [
            asyncio.create_task(run_scheduler(sessions, settings.scheduler_interval, stop)),
            asyncio.create_task(recorder.run(settings.view_flush_seconds, stop)),
            asyncio.create_task(run_upkeep(sessions, settings, stop)),
        ]
        if settings.rate_limits:
            tasks.append(asyncio.create_task(limits.run(RATE_SYNC_SECONDS, stop)))
        if settings.response_cache:  # else it never listens, so it never keeps anything
            keeper = CacheKeeper(cache, sessions, database_url(settings), shared)
            tasks.append(asyncio.create_task(keeper.run(stop)))
        try:
            yield
        finally:
            stop.set()  # the recorder flushes what it holds before it ends
            await asyncio.gather(*tasks)
            await own.dispose()
            if redis is not None:
                await redis.aclose()

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

    middleware = [
        *tracing.middleware(settings),
        Middleware(
            RequestContext,
            max_body_bytes=settings.max_body_bytes,
            max_upload_bytes=settings.max_upload_bytes,
            metrics=metrics,
        ),
        Middleware(Cors, origins=settings.cors_origins),
    ]
    routes = [
        # Every method reaches the endpoint, which answers the ones it does not serve in GraphQL form.
        Route("/graphql", graphql, methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/views", beacon.endpoint, methods=["POST"]),
        Route("/metrics", metrics_endpoint(metrics, settings.metrics_token), methods=["GET"]),
        *files.routes(),
    ]
    app = Starlette(
        debug=False,
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={HTTPException: _coded},
    )
    app.state.metrics = metrics
    return app


_CODES = {404: RequestErrorCode.NOT_FOUND, 405: RequestErrorCode.METHOD_NOT_ALLOWED}


async def _coded(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such path, a method a route does not take) in the API's
    form: a coded JSON error, as every other answer the CMS gives."""
    assert isinstance(exc, HTTPException)
    code = _CODES.get(exc.status_code, RequestErrorCode.BAD_REQUEST)
    messages = {404: "no such path", 405: "this path does not take that method"}
    return refusal(exc.status_code, messages.get(exc.status_code, str(exc.detail)), code, exc.headers)


class _Late:
    """An ASGI app that is there from the start and gets its endpoint when the lifespan has
    made the engine (routes need an app before the lifespan runs)."""

    app: GraphQLEndpoint | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.app is None:
            raise RuntimeError("the app is not started: run it with its lifespan")
        await self.app(scope, receive, send)
