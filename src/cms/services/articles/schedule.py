"""Changes that happen by the clock alone: a scheduled article going live, an embargo ending.

Visibility needs no job (it compares the publish times with the database clock as it reads);
what a job adds is the record. Every command that sets an article's times plans its changes;
every server process runs `run_scheduler`, and `record_due` takes the changes that came due with
FOR UPDATE SKIP LOCKED, so each is recorded once (as article.published or article.unpublished,
at its instant) however many processes run.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import delete, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cms.db import Article, ScheduledChange
from cms.db.base import db_now
from cms.db.faults import describe
from cms.services import audit
from cms.vocabulary import ArticleStatus, AuditAction

log = logging.getLogger("cms.scheduler")
BATCH = 100
_EVENTS = {"publish": AuditAction.ARTICLE_PUBLISHED, "unpublish": AuditAction.ARTICLE_UNPUBLISHED}


async def plan(session: AsyncSession, article_id: int) -> None:
    """Make the article's pending changes the ones its stored times call for (by the database
    clock): a publish time ahead, an embargo end ahead. Call after any change of its times."""
    pending = ScheduledChange.done_at.is_(None)
    await session.execute(delete(ScheduledChange).where(ScheduledChange.article_id == article_id, pending))
    for kind, column in (("publish", Article.published_at), ("unpublish", Article.unpublish_at)):
        due = select(Article.id, literal(kind), column).where(
            Article.id == article_id, Article.status == ArticleStatus.PUBLISHED.value, column > db_now()
        )
        await session.execute(
            insert(ScheduledChange).from_select(["article_id", "kind", "due_at"], due).on_conflict_do_nothing()
        )


async def record_due(session: AsyncSession) -> int:
    """Record the changes whose instant has passed, each once; returns how many. Rows another
    process is recording are skipped, not waited for."""
    due = (
        select(ScheduledChange.id)
        .where(ScheduledChange.done_at.is_(None), ScheduledChange.due_at <= db_now())
        .order_by(ScheduledChange.due_at)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    rows = (
        await session.execute(
            update(ScheduledChange)
            .where(ScheduledChange.id.in_(due.scalar_subquery()))
            .values(done_at=db_now())
            .returning(ScheduledChange.article_id, ScheduledChange.kind, ScheduledChange.due_at)
        )
    ).all()
    for article_id, kind, due_at in rows:
        await audit.record(session, None, _EVENTS[kind], ("Article", article_id), at=due_at)
    return len(rows)


async def run_scheduler(sessionmaker: async_sessionmaker[AsyncSession], interval: float, stop: asyncio.Event) -> None:
    """Record due changes every `interval` seconds until `stop` is set; an outage is logged and
    tried again at the next turn."""
    while not stop.is_set():
        try:
            async with sessionmaker() as session, session.begin():
                recorded = await record_due(session)
            if recorded:
                log.info("recorded %d scheduled change(s)", recorded)
                continue  # there may be more than one batch
        except Exception as exc:  # a database outage must not end the loop
            log.warning("scheduled changes not recorded this turn: %s", describe(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
