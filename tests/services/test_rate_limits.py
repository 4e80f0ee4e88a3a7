"""Rate limits: counted in memory, shared through PostgreSQL, so that two processes together
admit no more than one would."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cms.db import RateCount
from cms.db.engine import make_engine, make_sessionmaker
from cms.services.rate_limits import WINDOW_SECONDS, PostgresCounts, RateLimiter


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def shared(engine, database_url) -> AsyncIterator[tuple[async_sessionmaker[AsyncSession], str]]:
    """Committing sessions (as two server processes have) and a key prefix of this test's own."""
    own = make_engine(database_url)
    sessions = make_sessionmaker(own)
    prefix = f"test-{secrets.token_hex(4)}:"
    yield sessions, prefix
    async with sessions() as session:
        await session.execute(delete(RateCount).where(RateCount.key.startswith(prefix)))
        await session.commit()
    await own.dispose()


async def test_a_caller_is_refused_past_the_limit_until_the_minute_ends(shared):
    sessions, prefix = shared
    clock = Clock(1000 * WINDOW_SECONDS + 15)
    limiter = RateLimiter(sessions, clock=clock)

    assert [limiter.check(f"{prefix}a", 3).allowed for _ in range(4)] == [True, True, True, False]
    assert limiter.check(f"{prefix}a", 3).retry_after == 45
    assert limiter.check(f"{prefix}b", 3).allowed  # another caller

    clock.now += 45
    assert limiter.check(f"{prefix}a", 3).allowed


async def test_two_processes_share_one_limit(shared):
    sessions, prefix = shared
    clock = Clock(2000 * WINDOW_SECONDS + 1)
    one, two = RateLimiter(sessions, clock=clock), RateLimiter(sessions, clock=clock)
    key = f"{prefix}reader"

    admitted = sum(one.check(key, 10).allowed for _ in range(6))
    await one.sync()
    await two.sync()  # learns nothing yet: it has not seen the caller
    admitted += sum(two.check(key, 10).allowed for _ in range(3))
    await two.sync()  # adds its 3, reads 9
    admitted += sum(two.check(key, 10).allowed for _ in range(5))

    assert admitted == 10
    await two.sync()
    await one.sync()
    assert not one.check(key, 10).allowed  # the first process knows of the second's too
    async with sessions() as session:
        assert await session.scalar(select(func.sum(RateCount.count)).where(RateCount.key == key)) == 10


async def test_counts_survive_a_failed_sync(shared, database_url):
    sessions, prefix = shared
    gone = make_engine("postgresql://postgres@127.0.0.1:1/none")
    limiter = RateLimiter(make_sessionmaker(gone))
    for _ in range(3):
        limiter.check(f"{prefix}x", 10)

    await limiter.sync()  # the database is away: kept for later

    limiter.counts = PostgresCounts(sessions)  # the database is back
    await limiter.sync()
    await gone.dispose()
    async with sessions() as session:
        assert await session.scalar(select(RateCount.count).where(RateCount.key == f"{prefix}x")) == 3


async def test_past_minutes_are_pruned(shared):
    sessions, prefix = shared
    clock = Clock(3000 * WINDOW_SECONDS)
    limiter = RateLimiter(sessions, clock=clock)
    limiter.check(f"{prefix}old", 5)
    await limiter.sync()
    clock.now += 3 * WINDOW_SECONDS
    limiter.check(f"{prefix}new", 5)
    await limiter.sync()

    await limiter.prune()

    async with sessions() as session:
        keys = (await session.scalars(select(RateCount.key).where(RateCount.key.startswith(prefix)))).all()
    assert keys == [f"{prefix}new"]
