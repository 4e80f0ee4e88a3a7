"""Rate limits per caller that hold across server processes, with no database round trip on
the request's path.

Each process counts the requests it admits in memory and, every `sync_seconds`, adds them to
the shared counts (`rate_counts` in PostgreSQL, in one upsert; or Redis when CMS_REDIS_URL is
set, in one pipelined round trip): processes' counts add up; and it reads back the totals
of the callers it saw since or that are halfway to their limit, whichever process counted
them. A request is admitted while the caller's total as last read plus what this process
admitted since stays within the limit.
Windows are fixed minutes. What several processes admit at once within one interval can pass
a limit by that much; never more.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cms.config import Settings
from cms.db import RateCount
from cms.db.faults import describe, fault_of

if TYPE_CHECKING:
    from redis.asyncio import Redis

WINDOW_SECONDS = 60
log = logging.getLogger("cms.rate_limits")


@dataclass(frozen=True)
class Decision:
    allowed: bool
    # Seconds until the caller's window ends (when refused).
    retry_after: int = 0
    # What was counted against what: "read" or "write", and the limit a minute.
    kind: str = "read"
    limit: int = 0

    @property
    def message(self) -> str:
        return f"too many requests: at most {self.limit} {self.kind}s a minute; try again in {self.retry_after} s"


def admit(limiter: RateLimiter, settings: Settings, caller: str, *, writes: bool, anonymous: bool) -> Decision:
    """Count one operation of `caller` (a token, or an address when anonymous) against its
    limit (CMS_RATE_LIMIT_*: reads apart from writes, anonymous callers apart), whatever the
    transport."""
    if anonymous:
        limit = settings.rate_limit_writes_anonymous if writes else settings.rate_limit_reads_anonymous
    else:
        limit = settings.rate_limit_writes if writes else settings.rate_limit_reads
    kind = "write" if writes else "read"
    decision = limiter.check(f"{kind}:{caller}", limit)
    return Decision(decision.allowed, decision.retry_after, kind, limit)


class Counts(Protocol):
    """Where the processes' counts add up, per caller and minute."""

    async def add(self, window: int, pending: dict[str, int], keys: set[str]) -> dict[str, int]:
        """Add `pending` to the window's counts; the totals of `keys` after that."""
        ...

    async def prune(self, before: int) -> None:
        """Forget the windows before `before`."""
        ...


class PostgresCounts:
    """Counts in `rate_counts` (UNLOGGED): one upsert and one read per sync."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker

    async def add(self, window: int, pending: dict[str, int], keys: set[str]) -> dict[str, int]:
        start = datetime.fromtimestamp(window * WINDOW_SECONDS, UTC)
        async with self.sessionmaker() as session:
            if pending:
                upsert = insert(RateCount).values(
                    [{"key": k, "window": start, "count": n} for k, n in sorted(pending.items())]
                )
                await session.execute(
                    upsert.on_conflict_do_update(
                        index_elements=[RateCount.key, RateCount.window],
                        set_={"count": RateCount.count + upsert.excluded.count},
                    )
                )
            rows = await session.execute(
                select(RateCount.key, RateCount.count).where(RateCount.window == start, RateCount.key.in_(sorted(keys)))
            )
            totals: dict[str, int] = dict(rows.all())
            await session.commit()
        return totals

    async def prune(self, before: int) -> None:
        cutoff = datetime.fromtimestamp(before * WINDOW_SECONDS, UTC)
        async with self.sessionmaker() as session:
            await session.execute(delete(RateCount).where(RateCount.window < cutoff))
            await session.commit()


class RedisCounts:
    """Counts in Redis (CMS_REDIS_URL): INCRBY per caller in one pipelined round trip, each
    window's keys expiring on their own after two minutes, so nothing needs pruning."""

    def __init__(self, redis: Redis, prefix: str = "cms:rate:") -> None:
        self.redis, self.prefix = redis, prefix

    async def add(self, window: int, pending: dict[str, int], keys: set[str]) -> dict[str, int]:
        ordered = sorted(keys)
        async with self.redis.pipeline(transaction=False) as pipe:
            for key, n in sorted(pending.items()):
                pipe.incrby(self._key(window, key), n)
                pipe.expire(self._key(window, key), 2 * WINDOW_SECONDS)
            pipe.mget([self._key(window, k) for k in ordered])
            replies = await pipe.execute()
        return {k: int(v) for k, v in zip(ordered, replies[-1], strict=True) if v is not None}

    async def prune(self, before: int) -> None:
        return None  # the keys expire

    def _key(self, window: int, caller: str) -> str:
        return f"{self.prefix}{window}:{caller}"


class RateLimiter:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        clock: Callable[[], float] = time.time,
        counts: Counts | None = None,
    ) -> None:
        self.sessionmaker, self.clock = sessionmaker, clock
        self.counts = counts if counts is not None else PostgresCounts(sessionmaker)
        self._window = self._window_of(clock())
        self._pending: dict[str, int] = {}  # admitted here since the last sync
        self._known: dict[str, int] = {}  # totals of every process, as last read
        self._active: set[str] = set()  # callers seen since the last sync
        self._limits: dict[str, int] = {}  # each caller's limit, as last asked

    @staticmethod
    def _window_of(now: float) -> int:
        return int(now // WINDOW_SECONDS)

    def check(self, key: str, limit: int) -> Decision:
        """Admit one request of `key` (counted) unless that would pass `limit` this minute."""
        now = self.clock()
        window = self._window_of(now)
        if window != self._window:  # a new minute: every caller starts again
            self._window, self._pending, self._known, self._active, self._limits = window, {}, {}, set(), {}
        self._active.add(key)
        self._limits[key] = limit
        if self._known.get(key, 0) + self._pending.get(key, 0) >= limit:
            return Decision(False, max(1, int((window + 1) * WINDOW_SECONDS - now + 0.999)))
        self._pending[key] = self._pending.get(key, 0) + 1
        return Decision(True)

    async def sync(self) -> None:
        """Add what this process admitted to the shared counts and learn the callers' totals."""
        # The callers seen since, and those halfway to their limit (others may be using it up).
        busy = {k for k, n in self._known.items() if n * 2 >= self._limits.get(k, 0)}
        window, pending, active = self._window, self._pending, self._active | set(self._pending) | busy
        self._pending, self._active = {}, set()
        if not active:
            return
        try:
            totals = await self.counts.add(window, pending, active)
        except Exception as exc:  # e.g. the database away: keep counting here, add it up later
            for key, n in pending.items():
                self._pending[key] = self._pending.get(key, 0) + n
            self._active |= active
            if fault_of(exc) is None:
                log.exception("rate counts not shared this turn")
            else:
                log.warning("rate counts not shared this turn: %s", describe(exc))
            return
        if window == self._window:
            self._known.update(totals)

    async def prune(self) -> None:
        """Forget minutes that have passed (any process may; deleting twice is harmless)."""
        await self.counts.prune(self._window - 1)

    async def run(self, sync_seconds: float, stop: asyncio.Event) -> None:
        """Sync every `sync_seconds` and prune every minute, until `stop`; then sync once more."""
        last_prune = 0.0
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=sync_seconds)
            await self.sync()
            if time.monotonic() - last_prune > WINDOW_SECONDS:
                last_prune = time.monotonic()
                with contextlib.suppress(Exception):
                    await self.prune()
