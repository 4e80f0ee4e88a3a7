"""Changes of content that readers see, told to every server process.

Triggers on the tables readers read `NOTIFY cms_content` when a transaction that changed them
commits (migration 0009); each process keeps one connection that LISTENs and calls back. The
content also changes by the clock alone, when a scheduled article goes live or an embargo ends:
`next_change` gives the next such instant.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

import asyncpg
from sqlalchemy import func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from cms.db import Article
from cms.db.faults import describe
from cms.vocabulary import ArticleStatus

CHANNEL = "cms_content"
RETRY_SECONDS = 1.0

log = logging.getLogger("cms.changes")


async def next_change(session: AsyncSession) -> datetime | None:
    """The next instant, after now, at which a published article goes live or leaves."""
    now = func.statement_timestamp()
    published = Article.status == ArticleStatus.PUBLISHED.value
    instants = union_all(
        select(func.min(Article.published_at)).where(published, Article.published_at > now),
        select(func.min(Article.unpublish_at)).where(published, Article.unpublish_at > now),
    ).subquery()
    found: datetime | None = await session.scalar(select(func.min(instants.c[0])))
    return found


class ContentListener:
    """Keeps one connection LISTENing on `cms_content`; tells `on_state(True/False)` when it is
    (or stops being) connected and calls `on_change()` for each change. Reconnects by itself."""

    def __init__(self, dsn: str, on_change: Callable[[], None], on_state: Callable[[bool], None]) -> None:
        self.dsn, self.on_change, self.on_state = dsn, on_change, on_state

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            lost = asyncio.Event()
            connection: asyncpg.Connection | None = None
            try:
                connection = await asyncpg.connect(self.dsn, timeout=5)
                connection.add_termination_listener(lambda _, lost=lost: lost.set())
                await connection.add_listener(CHANNEL, lambda *_: self.on_change())
                self.on_state(True)
                waits = {asyncio.ensure_future(lost.wait()), asyncio.ensure_future(stop.wait())}
                _, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                for task in pending:
                    task.cancel()
            except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
                log.warning("not listening for content changes, retrying: %s", describe(exc))
            finally:
                self.on_state(False)
                if connection is not None and not connection.is_closed():
                    with contextlib.suppress(Exception):
                        await connection.close(timeout=2)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=RETRY_SECONDS)
