"""Shared by every domain's loaders: the guarded per-operation session and the batch-load helper."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from cms.auth import Viewer

K = TypeVar("K")
V = TypeVar("V")


class SessionGuard:
    """Hands out the operation's session to one user at a time.

    Sibling fields resolve concurrently, and an AsyncSession must not be used by two
    coroutines at once. Unbound (outside an operation) it refuses to hand out anything.
    """

    def __init__(self, session: AsyncSession | None = None) -> None:
        self.session = session
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[AsyncSession]:
        if self.session is None:
            raise RuntimeError("no operation is running: the session is opened per operation")
        async with self._lock:
            yield self.session


BatchFn = Callable[[AsyncSession, Sequence[K]], Awaitable[Sequence[V]]]


def loader(db: SessionGuard, fn: BatchFn[K, V]) -> DataLoader[K, V]:
    """A DataLoader over a service batch function, which returns its answers in key order."""

    async def batch(keys: list[K]) -> Sequence[V]:
        async with db() as session:
            return await fn(session, keys)

    return DataLoader(load_fn=batch)


def as_viewer(
    viewer: Viewer, fn: Callable[[AsyncSession, Viewer, Sequence[K]], Awaitable[Sequence[V]]]
) -> BatchFn[K, V]:
    """A batch function that sees only what `viewer` may see."""

    def bound(session: AsyncSession, keys: Sequence[K]) -> Awaitable[Sequence[V]]:
        return fn(session, viewer, keys)

    return bound
