"""The per-request context: the request, the viewer, one session and fresh DataLoaders."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from strawberry.types import Info as _Info

from cms.auth import Viewer
from cms.config import Settings
from cms.graphql.loaders import Loaders


class SessionGuard:
    """Hands out the request's session to one user at a time.

    Sibling fields resolve concurrently, and an AsyncSession must not be used by two
    coroutines at once.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[AsyncSession]:
        async with self._lock:
            yield self.session


@dataclass
class Context:
    request: Request | None
    settings: Settings
    viewer: Viewer
    db: SessionGuard
    loaders: Loaders
    request_id: str = ""

    @classmethod
    def build(
        cls,
        *,
        session: AsyncSession,
        settings: Settings,
        viewer: Viewer,
        request: Request | None = None,
        request_id: str = "",
    ) -> Context:
        db = SessionGuard(session)
        return cls(request, settings, viewer, db, Loaders(db, viewer), request_id)


Info = _Info[Context, None]
