"""Computed trending: each article's time-decayed read score per window, kept precomputed.

A read counts for its window (HOUR, DAY, WEEK) with a weight that halves every half-life (a
quarter of the window: 15 minutes, 6 hours, 42 hours), so the articles read now outrank those
read as much earlier:

    score = sum over the window's buckets of  count * 0.5 ^ (age of the bucket / half-life)

`refresh` recomputes every score in one transaction (one process at a time, every few seconds),
so reading a list costs one indexed query however many reads were counted; `computed` reads the
best of a window for many lists at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cms.auth import ANONYMOUS
from cms.config import Settings
from cms.db import Article, TrendingList, TrendingPin, TrendingScore
from cms.db.faults import describe
from cms.services import views
from cms.services.articles.visibility import visible_to
from cms.vocabulary import TrendingWindow

SPANS = {
    TrendingWindow.HOUR: timedelta(hours=1),
    TrendingWindow.DAY: timedelta(days=1),
    TrendingWindow.WEEK: timedelta(days=7),
}
HALF_LIFE_SHARE = 4  # a window's half-life is a quarter of it
REFRESH_LOCK = 7_002

log = logging.getLogger("cms.trending")


async def refresh(session: AsyncSession, *, now: datetime | None = None) -> bool:
    """Recompute every score as of `now` (the database's clock by default). Skipped (False)
    while another process does it."""
    if not await session.scalar(select(func.pg_try_advisory_xact_lock(REFRESH_LOCK))):
        return False
    windows = ", ".join(
        f"('{w.value}', {span.total_seconds()}, {span.total_seconds() / HALF_LIFE_SHARE})" for w, span in SPANS.items()
    )
    await session.execute(text("DELETE FROM trending_scores"))
    await session.execute(
        text(
            f"""
            INSERT INTO trending_scores (read_window, article_id, score)
            SELECT w.name, v.article_id,
                   sum(v.count * power(0.5, greatest(extract(epoch FROM (n.at - v.bucket)), 0) / w.half_life))
              FROM article_views v
              CROSS JOIN (SELECT coalesce(CAST(:now AS timestamptz), statement_timestamp()) AS at) n
              JOIN (VALUES {windows}) AS w(name, span, half_life)
                ON v.bucket > n.at - make_interval(secs => w.span) AND v.bucket <= n.at
             GROUP BY w.name, v.article_id
            """  # noqa: S608 - the windows are constants, not input
        ),
        {"now": now},
    )
    return True


async def computed(session: AsyncSession, keys: Sequence[tuple[int, int]]) -> list[list[tuple[Article, float]]]:
    """Batch load, keys (list id, how many): each list's best published articles by score in
    its window (and section), leaving out its pins, in key order; one query for them all."""
    limit = max((n for _, n in keys), default=0)
    if limit <= 0:
        return [[] for _ in keys]
    ids = sorted({list_id for list_id, _ in keys})
    chosen = (
        select(TrendingScore.article_id, TrendingScore.score)
        .join(Article, Article.id == TrendingScore.article_id)
        .where(
            TrendingScore.read_window == TrendingList.read_window,
            (TrendingList.section_id.is_(None)) | (Article.section_id == TrendingList.section_id),
            visible_to(ANONYMOUS),
            ~select(TrendingPin.article_id)
            .where(TrendingPin.list_id == TrendingList.id, TrendingPin.article_id == TrendingScore.article_id)
            .correlate_except(TrendingPin)
            .exists(),
        )
        .order_by(TrendingScore.score.desc(), TrendingScore.article_id)
        .limit(limit)
        .correlate(TrendingList)
        .lateral("chosen")
    )
    rows = await session.execute(
        select(TrendingList.id, Article, chosen.c.score)
        .select_from(TrendingList)
        .join(chosen, text("true"))
        .join(Article, Article.id == chosen.c.article_id)
        .where(TrendingList.id.in_(ids))
        .order_by(TrendingList.id, chosen.c.score.desc(), Article.id)
    )
    found: dict[int, list[tuple[Article, float]]] = {i: [] for i in ids}
    for list_id, article, score in rows:
        found[list_id].append((article, score))
    return [found[list_id][:n] for list_id, n in keys]


MAINTAIN_EVERY = 60.0


async def run_upkeep(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, stop: asyncio.Event) -> None:
    """Every server process runs this; the advisory locks let one at a time do each job:
    trending scores refreshed every `trending_refresh_seconds`, read counts rolled up and pruned
    every minute."""
    last_maintained = 0.0
    while not stop.is_set():
        try:
            async with sessionmaker() as session, session.begin():
                await refresh(session)
            if time.monotonic() - last_maintained >= MAINTAIN_EVERY:
                async with sessionmaker() as session, session.begin():
                    await views.maintain(session, retention_days=settings.view_retention_days)
                last_maintained = time.monotonic()
        except Exception as exc:  # the database is away: try again next time
            log.warning("trending upkeep failed, trying again: %s", describe(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=settings.trending_refresh_seconds)
