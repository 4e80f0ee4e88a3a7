"""Anonymous responses kept in each server process, and dropped in every one of them at once
when the content changes.

What a reader is answered depends only on the document, the variables and the content, so an
anonymous response is kept under (document, operation, variables) until the content changes:
a committed change to any table readers see NOTIFYs `cms_content` (triggers in the database, so
every way of writing is covered), and each process LISTENs (`changes.ContentListener`) and
empties its cache. Content also changes without a write when a scheduled article goes live or
an embargo ends: no entry outlives the next such instant (`next_change`). While the listener is
not connected, nothing is cached: a process that might miss a change serves nothing stale.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cms.db.faults import describe
from cms.services import changes

log = logging.getLogger("cms.cache")


@dataclass(frozen=True)
class Entry:
    body: bytes
    etag: str
    surrogate: str  # the surrogate keys of what it shows
    kept_until: float  # time.time()


class ResponseCache:
    def __init__(self, *, max_entries: int = 5000, max_bytes: int = 64 * 1024 * 1024, max_age: float = 300) -> None:
        self.max_entries, self.max_bytes, self.max_age = max_entries, max_bytes, max_age
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        # Bumped by every invalidation: a response computed before one is not kept after it.
        self.generation = 0
        self.listening = False
        self._next_change: float | None = None  # time.time() of the next scheduled instant
        # Until the next scheduled instant is known (after a change, or once it passed), nothing
        # is kept or served.
        self._held = True
        self.hits = self.misses = 0
        # Told when the next scheduled instant is unknown again (it passed, or content changed).
        self.on_stale: Callable[[], None] = lambda: None

    @property
    def active(self) -> bool:
        return self.listening

    def get(self, key: str) -> Entry | None:
        if not self.listening or self._held:
            return None
        now = time.time()
        if self._next_change is not None and now >= self._next_change:
            self.invalidate()  # the content changed by the clock: hold until the next instant is known
            return None
        entry = self._entries.get(key)
        if entry is None or now >= entry.kept_until:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry

    def put(self, key: str, body: bytes, etag: str, surrogate: str, *, generation: int) -> None:
        """Keep a response computed while the cache stood at `generation`; one computed across an
        invalidation is not kept."""
        if self._held or not self.listening or generation != self.generation or len(body) > self.max_bytes // 16:
            return
        kept_until = time.time() + self.max_age
        if self._next_change is not None:
            kept_until = min(kept_until, self._next_change)
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)
        self._entries[key] = Entry(body, etag, surrogate, kept_until)
        self._bytes += len(body)
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= len(dropped.body)

    def keep_seconds(self) -> float | None:
        """How long a response computed now may be kept anywhere (None: not at all, the cache
        is not sure to hear of changes)."""
        if self._held or not self.listening:
            return None
        seconds = self.max_age
        if self._next_change is not None:
            seconds = min(seconds, self._next_change - time.time())
        return seconds if seconds > 0 else None

    def invalidate(self) -> None:
        """Drop everything; keep nothing until the next scheduled instant is known again."""
        self.generation += 1
        self._entries.clear()
        self._bytes = 0
        self._held = True
        self.on_stale()

    def next_change(self, at: datetime | None, generation: int) -> None:
        """The next instant a scheduled article goes live or an embargo ends (None: none), as read
        while the cache stood at `generation`; a reading overtaken by a change is not taken."""
        if generation == self.generation:
            self._next_change = at.timestamp() if at is not None else None
            self._held = False

    def listen(self, listening: bool) -> None:
        """Whether changes reach this process; while they do not, nothing is cached."""
        self.listening = listening
        self.invalidate()

    def __len__(self) -> int:
        return len(self._entries)


class CacheKeeper:
    """Keeps a ResponseCache true to the database: it caches only while it hears of changes
    (LISTEN), drops everything on each, and learns the next scheduled instant after each."""

    def __init__(
        self,
        cache: ResponseCache,
        sessionmaker: async_sessionmaker[AsyncSession],
        dsn: str,
        shared: SharedResponses | None = None,
    ) -> None:
        self.cache, self.sessionmaker, self.shared = cache, sessionmaker, shared
        self.listener = changes.ContentListener(dsn, on_change=cache.invalidate, on_state=cache.listen)
        self._refreshing: asyncio.Task[None] | None = None
        self._stop: asyncio.Event | None = None
        cache.on_stale = self._stale

    def _stale(self) -> None:
        if self._stop is not None and self._stop.is_set():
            # The listener's last word, on stopping, is "not listening": the process is going,
            # and the engine and Redis a refresh would use are closing.
            return
        if self._refreshing is None or self._refreshing.done():
            self._refreshing = asyncio.get_running_loop().create_task(self._learn_next_change())

    async def _learn_next_change(self) -> None:
        while True:
            generation = self.cache.generation
            if self.shared is not None:
                # Every process moves the shared store on at each change it hears of, before its
                # own cache serves again: nothing computed before the change is found after it.
                await self.shared.invalidate()
            try:
                async with self.sessionmaker() as session:
                    at = await changes.next_change(session)
            except Exception as exc:  # the database is away: the cache stays held
                log.warning("next scheduled change unknown: %s", describe(exc))
                return
            self.cache.next_change(at, generation)
            if generation == self.cache.generation:
                return  # else a change came meanwhile: read it again

    async def run(self, stop: asyncio.Event) -> None:
        self._stop = stop
        try:
            await self.listener.run(stop)
        finally:
            if self._refreshing is not None:  # one begun before the stop ends with it
                self._refreshing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._refreshing


class SharedResponses:
    """Anonymous responses shared by every server process through Redis (CMS_REDIS_URL), behind
    each process's own cache: an answer computed by one process is found by the others.

    Entries live under the store's generation, which every process increments when it hears of
    a change (`invalidate`), before its own cache serves again; a response is stored under the
    generation read before it was computed, so nothing computed before a change is found after
    it. An entry expires when the process's own would (`ResponseCache.keep_seconds`). Redis
    unreachable or slow is a miss, never an error: the store is not used again until an
    increment has succeeded, since changes may have been missed meanwhile.
    """

    # The generation and the entry under it, in one round trip.
    LOOKUP = "local g = redis.call('GET', KEYS[1]) or '0' return {g, redis.call('GET', ARGV[1] .. g .. ':' .. ARGV[2])}"

    def __init__(self, redis: Redis, prefix: str = "cms:responses:") -> None:
        self.redis, self.prefix = redis, prefix
        self._lookup = redis.register_script(self.LOOKUP)
        self.usable = False  # until the first increment: changes before it were not heard
        self.hits = self.misses = 0
        self._warned = 0.0

    async def get(self, key: str) -> tuple[bytes | None, Entry | None]:
        """(the generation to store a response computed now under, the entry if any); the
        generation is None when the store is not to be used."""
        if not self.usable:
            return None, None
        try:
            generation, value = await self._lookup(keys=[f"{self.prefix}generation"], args=[self.prefix, key])
        except (RedisError, OSError) as exc:
            self._fail(exc)
            return None, None
        if value is None:
            self.misses += 1
            return generation, None
        etag, surrogate, body = bytes(value).split(b"\n", 2)
        self.hits += 1
        return generation, Entry(body, etag.decode(), surrogate.decode(), 0.0)

    async def put(self, generation: bytes, key: str, body: bytes, etag: str, surrogate: str, seconds: float) -> None:
        try:
            value = b"\n".join([etag.encode(), surrogate.encode(), body])
            await self.redis.set(f"{self.prefix}{generation.decode()}:{key}", value, px=max(1, int(seconds * 1000)))
        except (RedisError, OSError) as exc:
            self._fail(exc)

    async def invalidate(self) -> None:
        try:
            await self.redis.incr(f"{self.prefix}generation")
        except (RedisError, OSError) as exc:
            self._fail(exc)
        else:
            self.usable = True

    def _fail(self, exc: BaseException) -> None:
        self.usable = False
        if time.monotonic() - self._warned > 30:  # one line per outage, not one per request
            self._warned = time.monotonic()
            log.warning("shared response store unavailable: %s: %s", type(exc).__name__, exc)
