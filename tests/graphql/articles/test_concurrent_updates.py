"""Two truly concurrent updates of one article: neither is lost silently."""

from __future__ import annotations

import asyncio
import base64

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from cms.vocabulary import Role
from tests import factories
from tests.graphql.articles.test_update_article import UPDATE

WAITING = text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'"
)


async def _both_while_locked(api, engine: AsyncEngine, article_id: str, inputs: list[tuple[dict, int | None]]) -> list:
    """Start both updates while another transaction holds the row, prove they are both waiting
    on it at once, then let them go."""
    pk = int(base64.b64decode(article_id).decode().split(":")[1])
    async with engine.connect() as blocker, engine.connect() as probe:
        await blocker.begin()
        await blocker.execute(text("SELECT id FROM articles WHERE id = :id FOR UPDATE"), {"id": pk})
        tasks = [
            asyncio.create_task(api(UPDATE, {"id": article_id, "input": data, "v": version}, role=Role.EDITOR))
            for data, version in inputs
        ]
        waiting = 0
        for _ in range(100):
            waiting = await probe.scalar(WAITING)
            await probe.rollback()  # a fresh snapshot of pg_stat_activity each time
            if waiting == len(inputs):
                break
            await asyncio.sleep(0.05)
        assert waiting == len(inputs), "both updates should be waiting on the row at once"
        await blocker.rollback()
    return [r["data"]["updateArticle"] for r in await asyncio.gather(*tasks)]


async def test_same_expected_version_one_wins_one_conflicts(committed_api, engine):
    article = await factories.create_article(committed_api, title="Original")

    results = await _both_while_locked(
        committed_api, engine, article["id"], [({"title": "Edit A"}, 1), ({"title": "Edit B"}, 1)]
    )

    saved = [r for r in results if r["article"]]
    refused = [r for r in results if r["userErrors"]]
    assert len(saved) == 1
    assert saved[0]["article"]["version"] == 2
    assert [e["code"] for e in refused[0]["userErrors"]] == ["CONFLICT"]
    current = await committed_api(
        "query($id: ID!) { article(id: $id) { title version } }", {"id": article["id"]}, role=Role.EDITOR
    )
    assert current["data"]["article"] == {"title": saved[0]["article"]["title"], "version": 2}


async def test_without_versions_both_changes_are_kept(committed_api, engine):
    article = await factories.create_article(committed_api, title="Original", standfirst="Old")

    results = await _both_while_locked(
        committed_api, engine, article["id"], [({"title": "New title"}, None), ({"standfirst": "New standfirst"}, None)]
    )

    assert sorted(r["article"]["version"] for r in results) == [2, 3]
    current = await committed_api(
        "query($id: ID!) { article(id: $id) { title standfirst version } }", {"id": article["id"]}, role=Role.EDITOR
    )
    assert current["data"]["article"] == {"title": "New title", "standfirst": "New standfirst", "version": 3}
