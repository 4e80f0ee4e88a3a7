"""Content changes reach every process: a NOTIFY per committed transaction that changed what
readers see, heard by ContentListener; and the next scheduled instant."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from sqlalchemy import update

from cms.db import Article
from cms.graphql.ids import decode_id
from cms.services import changes
from tests import factories

# Statement triggers fire even when no row matches: these change nothing and leave nothing behind.
TOUCH = "UPDATE {table} SET {column} = {column} WHERE false"


@contextlib.asynccontextmanager
async def listening(url: str) -> AsyncIterator[list[str]]:
    heard: list[str] = []
    states: list[bool] = []
    connected, stop = asyncio.Event(), asyncio.Event()

    def on_state(state: bool) -> None:
        states.append(state)
        connected.set()

    listener = changes.ContentListener(url, on_change=lambda: heard.append("change"), on_state=on_state)
    task = asyncio.create_task(listener.run(stop))
    await asyncio.wait_for(connected.wait(), 5)
    assert states == [True]
    try:
        yield heard
    finally:
        stop.set()
        await task
        assert states[-1] is False


async def settle() -> None:
    await asyncio.sleep(0.2)


def asyncpg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


@pytest.mark.parametrize(
    ("table", "column"),
    [("articles", "title"), ("article_tags", "position"), ("authors", "name"), ("trending_scores", "score")],
)
async def test_a_committed_change_to_what_readers_see_is_heard_once(engine, database_url, table, column):
    url = asyncpg_url(database_url)
    async with listening(url) as heard:
        conn = await asyncpg.connect(url)
        try:
            async with conn.transaction():
                await conn.execute(TOUCH.format(table=table, column=column))
                await conn.execute(TOUCH.format(table=table, column=column))
            await settle()
        finally:
            await conn.close()
    assert heard == ["change"]


async def test_rolled_back_changes_and_counted_reads_are_not_content(engine, database_url):
    url = asyncpg_url(database_url)
    async with listening(url) as heard:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute(TOUCH.format(table="article_views", column="count"))
            transaction = conn.transaction()
            await transaction.start()
            await conn.execute(TOUCH.format(table="articles", column="title"))
            await transaction.rollback()
            await settle()
        finally:
            await conn.close()
    assert heard == []


async def test_next_change_is_the_next_go_live_or_embargo_end(api, session):
    assert await changes.next_change(session) is None
    soon = datetime.now(UTC) + timedelta(hours=1)
    later = soon + timedelta(hours=1)
    scheduled = await factories.create_article(api, title="Later")
    await factories.publish(api, scheduled["id"], at=later.isoformat())
    live = await factories.published_article(api, title="Live")
    await session.execute(
        update(Article).where(Article.id == decode_id(live["id"], "Article")).values(unpublish_at=soon)
    )

    assert await changes.next_change(session) == soon
