"""One clock: the status clients see and who may see an article are decided by the database,
in the statement that reads the row."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, insert, select, text

from cms.auth import ANONYMOUS
from cms.db import Article
from cms.services.articles.visibility import visible_to
from cms.vocabulary import ArticleStatus


def test_the_shown_status_is_computed_by_the_database_clock():
    sql = str(select(Article.shown_status).compile())
    assert "statement_timestamp()" in sql


async def test_status_and_visibility_agree_across_the_publish_instant(session):
    article_id = await session.scalar(
        insert(Article)
        .values(
            slug="at-the-instant",
            title="At the instant",
            status="PUBLISHED",
            published_at=func.statement_timestamp() + text("interval '400 milliseconds'"),
        )
        .returning(Article.id)
    )
    seen = []
    for _ in range(40):
        status, visible = (
            await session.execute(
                select(Article.shown_status, visible_to(ANONYMOUS).label("visible")).where(Article.id == article_id)
            )
        ).one()
        seen.append((status, visible))
        await asyncio.sleep(0.02)

    # Inside one transaction, each statement reads its own clock: the article goes live on time.
    assert seen[0] == (ArticleStatus.SCHEDULED, False)
    assert seen[-1] == (ArticleStatus.PUBLISHED, True)
    assert all((status == ArticleStatus.PUBLISHED) == visible for status, visible in seen)
