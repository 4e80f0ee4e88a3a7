"""The newest-first list of articles (the homepage) is read in index order, never sorted: its
ORDER BY must be the very expression of ix_articles_published."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from cms.auth import ANONYMOUS
from cms.services.articles import listing
from tests import factories


async def plan_of_last_statement(session: AsyncSession, sent: list[tuple[str, Any]]) -> str:
    statement, parameters = sent[-1]
    connection = await session.connection()
    # A handful of rows would make a scan and sort cheaper; the question is whether the index can
    # serve the order at all.
    await connection.execute(text("SET LOCAL enable_seqscan = off"))
    await connection.execute(text("SET LOCAL enable_sort = off"))
    rows = await connection.exec_driver_sql(f"EXPLAIN (COSTS OFF) {statement}", parameters)
    return "\n".join(r[0] for r in rows)


async def test_first_and_later_pages_follow_the_index(api, session, engine: AsyncEngine):
    for i in range(3):
        await factories.published_article(api, title=f"Story {i}")
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        sent.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        first = await listing.list_articles(session, ANONYMOUS, first=1, after=None)
        first_plan = await plan_of_last_statement(session, sent)
        await listing.list_articles(session, ANONYMOUS, first=1, after=first.cursors[-1])
        next_plan = await plan_of_last_statement(session, sent)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)

    for plan in (first_plan, next_plan):
        assert "ix_articles_published" in plan, plan
        assert "Sort" not in plan, plan
