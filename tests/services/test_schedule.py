"""Changes by the clock (a scheduled publish, an embargo's end) are recorded once, whatever the
number of server processes looking for them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cms.db import Article, AuditEvent, Base, ScheduledChange
from cms.db.engine import make_sessionmaker
from cms.services.articles import schedule


@pytest.fixture
async def committed(engine) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on connections of their own, whose commits are real; emptied afterwards."""
    yield make_sessionmaker(engine)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


async def article(sessions, *, published_at: datetime, unpublish_at: datetime | None = None) -> int:
    async with sessions() as session, session.begin():
        article_id = await session.scalar(
            insert(Article)
            .values(
                slug=f"s{published_at.timestamp()}",
                title="T",
                status="PUBLISHED",
                published_at=published_at,
                unpublish_at=unpublish_at,
            )
            .returning(Article.id)
        )
        await schedule.plan(session, article_id)
    return int(article_id)


async def events(sessions, action: str) -> list[tuple[int, datetime]]:
    async with sessions() as session:
        rows = await session.execute(
            select(AuditEvent.subject_id, AuditEvent.at).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
        return [tuple(r) for r in rows]


async def test_plan_keeps_only_what_lies_ahead(committed):
    now = datetime.now(UTC)
    past = await article(committed, published_at=now - timedelta(hours=1))
    ahead = await article(committed, published_at=now + timedelta(hours=1), unpublish_at=now + timedelta(hours=2))

    async with committed() as session:
        rows = (
            await session.execute(
                select(ScheduledChange.article_id, ScheduledChange.kind).order_by(ScheduledChange.kind)
            )
        ).all()

    assert past not in {a for a, _ in rows}
    assert rows == [(ahead, "publish"), (ahead, "unpublish")]


async def test_each_change_is_recorded_once_though_two_processes_look_at_once(committed):
    due = datetime.now(UTC) + timedelta(milliseconds=300)
    article_id = await article(committed, published_at=due)
    await asyncio.sleep(0.5)

    # The first process takes the change and holds it; the second must skip it, not wait or repeat it.
    async with committed() as first, first.begin():
        taken = await schedule.record_due(first)
        async with committed() as second, second.begin():
            skipped = await schedule.record_due(second)
    async with committed() as third, third.begin():
        again = await schedule.record_due(third)

    assert (taken, skipped, again) == (1, 0, 0)
    assert await events(committed, "article.published") == [(article_id, due)]


async def test_an_embargo_end_is_recorded_as_unpublished(committed):
    start = datetime.now(UTC) - timedelta(hours=1)
    end = datetime.now(UTC) + timedelta(milliseconds=200)
    article_id = await article(committed, published_at=start, unpublish_at=end)
    await asyncio.sleep(0.4)

    async with committed() as session, session.begin():
        recorded = await schedule.record_due(session)

    assert recorded == 1
    assert await events(committed, "article.unpublished") == [(article_id, end)]


async def test_a_rescheduled_article_is_recorded_at_its_new_time_only(committed):
    now = datetime.now(UTC)
    article_id = await article(committed, published_at=now + timedelta(hours=1))
    async with committed() as session, session.begin():
        await session.execute(
            update(Article).where(Article.id == article_id).values(published_at=now + timedelta(seconds=1))
        )
        await schedule.plan(session, article_id)
    await asyncio.sleep(max(0.0, (now + timedelta(seconds=1.2) - datetime.now(UTC)).total_seconds()))

    async with committed() as session, session.begin():
        assert await schedule.record_due(session) == 1
        pending = await session.scalar(
            select(func.count()).select_from(ScheduledChange).where(ScheduledChange.done_at.is_(None))
        )
    assert pending == 0


async def test_the_scheduler_loop_records_and_stops(committed):
    article_id = await article(committed, published_at=datetime.now(UTC) + timedelta(milliseconds=100))
    stop = asyncio.Event()
    loop = asyncio.create_task(schedule.run_scheduler(committed, 0.05, stop))
    # Recorded within a few turns; polled, so that a busy machine only makes it slower.
    for _ in range(200):
        if await events(committed, "article.published"):
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(loop, 2)

    assert [a for a, _ in await events(committed, "article.published")] == [article_id]
