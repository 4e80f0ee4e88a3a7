"""Shared by every domain's loaders: the guarded per-operation session and the batch-load helper."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import Batch, DataLoader, dispatch_batch

from cms.auth import Viewer
from cms.graphql import turns

K = TypeVar("K")
V = TypeVar("V")


class Loader(DataLoader[K, V]):
    """A DataLoader for large operations too (`turns`): one batch wakes every field that waited
    for it, hundreds at once, and each takes its turn to go on; and a batch goes out once the
    work waiting in line has asked for its keys, not before."""

    async def load(self, key: K) -> V:
        value: V = await self._future(key)
        await turns.give_way()
        return value

    async def load_many(self, keys: Iterable[K]) -> list[V]:
        values = await asyncio.gather(*(self._future(k) for k in keys))
        await turns.give_way()
        return list(values)

    def _future(self, key: K) -> asyncio.Future[V]:
        # DataLoader.load, with the batch sent out by `_dispatch`.
        if self.cache:
            future: asyncio.Future[V] | None = self.cache_map.get(key)
            if future is not None and not future.cancelled():
                return future
        future = self.loop.create_future()
        if self.cache:
            self.cache_map.set(key, future)
        batch = self.batch
        if batch is None or batch.dispatched or not batch.tasks:
            batch = self.batch = Batch()
            self.loop.call_soon(self._dispatch, batch)
        batch.add_task(key, future)
        return future

    def _dispatch(self, batch: Batch[K, V]) -> None:
        async def in_turn() -> None:
            await turns.behind_waiting_work()
            await dispatch_batch(self, batch)

        batch._dispatch_task = asyncio.ensure_future(in_turn())


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


def loader(db: SessionGuard, fn: BatchFn[K, V]) -> Loader[K, V]:
    """A DataLoader over a service batch function, which returns its answers in key order."""

    async def batch(keys: list[K]) -> Sequence[V]:
        async with db() as session:
            return await fn(session, keys)

    return Loader(load_fn=batch)


def as_viewer(
    viewer: Viewer, fn: Callable[[AsyncSession, Viewer, Sequence[K]], Awaitable[Sequence[V]]]
) -> BatchFn[K, V]:
    """A batch function that sees only what `viewer` may see."""

    def bound(session: AsyncSession, keys: Sequence[K]) -> Awaitable[Sequence[V]]:
        return fn(session, viewer, keys)

    return bound
