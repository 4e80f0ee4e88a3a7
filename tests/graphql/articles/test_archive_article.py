from __future__ import annotations

from cms.vocabulary import Role
from tests import factories
from tests.graphql.articles.workflow import ARCHIVE, read, run


async def test_archived_is_gone_for_readers_and_kept_for_editors(api):
    article = await factories.published_article(api, title="Old news")

    payload = await run(api, ARCHIVE, {"id": article["id"]})

    assert payload["userErrors"] == []
    assert payload["article"]["status"] == "ARCHIVED"
    assert payload["article"]["publishedAt"] is not None  # when it was out is kept
    assert await read(api, article["id"]) is None
    assert (await api("{ articles { totalCount } }"))["data"]["articles"]["totalCount"] == 0
    editor = await read(api, article["id"], role=Role.EDITOR)
    assert editor["status"] == "ARCHIVED"
    listed = await api("{ articles(filter: {status: [ARCHIVED]}) { edges { node { title } } } }", role=Role.EDITOR)
    assert listed["data"]["articles"]["edges"] == [{"node": {"title": "Old news"}}]


async def test_a_scheduled_article_archived_never_goes_live(api, session):
    from sqlalchemy import func, select

    from cms.db import ScheduledChange

    article = await factories.create_article(api)
    await factories.publish(api, article["id"], "2999-01-01T00:00:00Z")

    await run(api, ARCHIVE, {"id": article["id"]})

    pending = await session.scalar(
        select(func.count()).select_from(ScheduledChange).where(ScheduledChange.done_at.is_(None))
    )
    assert pending == 0
