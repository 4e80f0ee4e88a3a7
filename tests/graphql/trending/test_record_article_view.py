"""recordArticleView: one read of a published article, counted once per reader; true whatever
the article, so that nothing tells what exists."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cms.db import ArticleViews
from cms.graphql.ids import to_global_id
from tests import factories

RECORD = "mutation($id: ID!) { recordArticleView(id: $id) }"
BROWSER = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"
)


async def record(client, article_id: str, agent: str = BROWSER) -> dict:
    response = await client.post(
        "/graphql", json={"query": RECORD, "variables": {"id": article_id}}, headers={"User-Agent": agent}
    )
    assert response.status_code == 200
    body: dict = response.json()
    return body


async def counted(session) -> int:
    return int(await session.scalar(select(func.coalesce(func.sum(ArticleViews.count), 0))))


async def test_a_read_of_a_published_article_counts_once(api, client, session, views):
    article = await factories.published_article(api)

    answers = [await record(client, article["id"]) for _ in range(3)]
    await views.flush()

    assert answers == [{"data": {"recordArticleView": True}}] * 3
    assert await counted(session) == 1


@pytest.mark.parametrize("which", ["draft", "unknown"])
async def test_reads_of_what_readers_cannot_see_answer_the_same_and_count_nothing(api, client, session, views, which):
    article = await factories.create_article(api) if which == "draft" else {"id": to_global_id("Article", 987654)}

    body = await record(client, article["id"])
    await views.flush()

    assert body == {"data": {"recordArticleView": True}}
    assert await counted(session) == 0


async def test_a_bot_gets_the_same_answer_and_counts_nothing(api, client, session, views):
    article = await factories.published_article(api)

    body = await record(client, article["id"], agent="Mozilla/5.0 (compatible; bingbot/2.0)")
    await views.flush()

    assert body == {"data": {"recordArticleView": True}}
    assert await counted(session) == 0


async def test_an_id_that_is_no_article_id_is_invalid(client):
    body = await record(client, to_global_id("Author", 1))

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID"]
