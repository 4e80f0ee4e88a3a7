"""The context resolvers see, and the context getter every transport uses to build it.

A transport (an HTTP request, a WebSocket connection) makes one `Context` with the viewer it
authenticated; the transaction extension (`lifecycle.OperationTransaction`) derives from it one
context per operation, holding that operation's session, DataLoaders and after-commit callbacks.
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection
from strawberry.types import Info as _Info

from cms.auth import ANONYMOUS, Viewer, bearer_secret
from cms.config import Settings
from cms.graphql.batch import SessionGuard
from cms.graphql.loaders import Loaders
from cms.services import secrets, tokens
from cms.services.media.links import SIGNING_USE, Links
from cms.services.rate_limits import RateLimiter
from cms.services.views import ViewRecorder
from cms.storage import Storage


class Transport(enum.StrEnum):
    HTTP = "http"
    WEBSOCKET = "ws"
    # Called from Python with no transport, e.g. a test or a script running the schema.
    DIRECT = "direct"


@dataclass
class Context:
    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    viewer: Viewer = ANONYMOUS
    request: HTTPConnection | None = None
    request_id: str = ""
    transport: Transport = Transport.DIRECT
    # The bearer secret a long-lived connection authenticated with, checked again per operation.
    credentials: str | None = None
    # graphql-transport-ws: the payload of `connection_init`, set by Strawberry's handler.
    connection_params: dict[str, Any] | None = None
    # Where uploads are stored; None where nothing may be uploaded (a script running the schema).
    storage: Storage | None = None
    # This process's reads not yet counted; None where reads are not counted (a script).
    views: ViewRecorder | None = None
    # The rate limits a long-lived connection's operations are counted against, each as an HTTP
    # request is (HTTP requests are counted by the view, before they run).
    limits: RateLimiter | None = None
    # Per operation; the transport's own context holds an unbound guard that refuses use.
    db: SessionGuard = field(default_factory=SessionGuard)
    loaders: Loaders = field(init=False)
    after_commit: list[Callable[[], Awaitable[None]]] = field(init=False)
    after_rollback: list[Callable[[], Awaitable[None]]] = field(init=False)

    _links: asyncio.Future[Links] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.db, self.viewer)
        self.after_commit = []
        self.after_rollback = []

    async def media_links(self) -> Links:
        """The URLs of media as this request's client reaches them (CMS_PUBLIC_URL, else the
        address the request was made to), and the key that signs renditions. Made once per
        request, however many sibling fields ask at the same moment."""
        if self._links is None:
            self._links = asyncio.ensure_future(self._make_links())
        return await self._links

    def media_files(self) -> str:
        """Where clients fetch uploaded files: a CDN or a bucket (CMS_MEDIA_BASE_URL), else
        the CMS's own /media."""
        return media_files(self.settings, self.request)

    def _public_base(self) -> str:
        return self.settings.public_url or _http_base(self.request)

    async def _make_links(self) -> Links:
        settings = self.settings
        return Links(
            files=self.media_files(),
            renditions=f"{self._public_base()}/media/r",
            key=await secrets.key_for(settings, self.sessionmaker, SIGNING_USE),
            min_width=settings.rendition_min_width,
            max_width=settings.rendition_max_width,
        )

    @property
    def user_agent(self) -> str | None:
        return self.request.headers.get("user-agent") if self.request is not None else None

    @property
    def client_address(self) -> str | None:
        """The caller's IP address, as uvicorn gives it after applying trusted proxy headers;
        None when there is no network transport."""
        client = self.request.client if self.request is not None else None
        return client.host if client is not None else None

    def for_operation(self, session: AsyncSession, viewer: Viewer | None = None) -> Context:
        """A context of one operation on `session`, with fresh loaders and no callbacks yet."""
        return dataclasses.replace(self, db=SessionGuard(session), viewer=viewer or self.viewer)

    def no_store(self) -> None:
        """The response holds what shared caches must not keep (a draft read through a preview
        link, say): it goes out with Cache-Control: no-store whoever asked."""
        if self.request is not None:
            self.request.state.no_store = True

    def on_commit(self, callback: Callable[[], Awaitable[None]]) -> None:
        """Run `callback` once the operation's transaction has committed (never on rollback)."""
        self.after_commit.append(callback)

    def on_rollback(self, callback: Callable[[], Awaitable[None]]) -> None:
        """Run `callback` if the operation's transaction is rolled back, to undo what the
        database cannot (a file stored for a row that is not kept, say)."""
        self.after_rollback.append(callback)


Info = _Info[Context, None]


def media_files(settings: Settings, request: HTTPConnection | None) -> str:
    """Where clients fetch uploaded files: a CDN or a bucket (CMS_MEDIA_BASE_URL), else the
    CMS's own /media."""
    return settings.media_base_url or f"{settings.public_url or _http_base(request)}/media"


def _http_base(request: HTTPConnection | None) -> str:
    if request is None:
        return "http://localhost"
    base = str(request.base_url).rstrip("/")
    # A WebSocket's own address is ws(s)://; the files are fetched over http(s).
    if base.startswith("ws"):
        base = "http" + base.removeprefix("ws")
    return base


async def authenticate(sessionmaker: async_sessionmaker[AsyncSession], authorization: str | None) -> Viewer:
    """The viewer an Authorization value stands for; anonymous without one.

    The token's lastUsedAt is committed at once, so it is kept even when the operation fails.
    Raises BadCredentials (malformed), Unauthenticated (unknown, expired, revoked)."""
    secret = bearer_secret(authorization)
    if secret is None:
        return ANONYMOUS
    async with sessionmaker() as session:
        viewer = await tokens.authenticate(session, secret)
        await session.commit()
    return viewer


def authorization_param(params: dict[str, Any] | None) -> str | None:
    """The Authorization value of a WebSocket `connection_init` payload, in the forms clients
    send it: `{"Authorization": ...}` or `{"headers": {"Authorization": ...}}`, any case."""
    if not params:
        return None
    for source in (params, params.get("headers")):
        if isinstance(source, dict):
            for key, value in source.items():
                if isinstance(key, str) and key.lower() == "authorization" and isinstance(value, str):
                    return value
    return None
