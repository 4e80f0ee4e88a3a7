"""POST /views: the beacon a page sends with navigator.sendBeacon, a CORS-simple request."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from cms.db import ArticleViews
from cms.graphql.ids import to_global_id
from tests import factories
from tests.graphql.trending.test_record_article_view import BROWSER


async def counted(session) -> int:
    return int(await session.scalar(select(func.coalesce(func.sum(ArticleViews.count), 0))))


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain;charset=UTF-8", lambda id: id),
        ("text/plain;charset=UTF-8", lambda id: json.dumps({"id": id})),
        ("application/x-www-form-urlencoded", lambda id: f"  {id}\n"),
    ],
    ids=["id", "json", "padded"],
)
async def test_a_beacon_counts_a_read_and_answers_204(api, client, session, views, content_type, body):
    article = await factories.published_article(api)

    response = await client.post(
        "/views",
        content=body(article["id"]),
        headers={"Content-Type": content_type, "User-Agent": BROWSER, "Origin": "https://news.example.com"},
    )
    await views.flush()

    assert (response.status_code, response.content) == (204, b"")
    assert response.headers["cache-control"] == "no-store"
    assert await counted(session) == 1


async def test_drafts_unknown_articles_and_bots_answer_204_and_count_nothing(api, client, session, views):
    draft = await factories.create_article(api)
    live = await factories.published_article(api)

    answers = [
        (await client.post("/views", content=draft["id"], headers={"User-Agent": BROWSER})).status_code,
        (
            await client.post("/views", content=to_global_id("Article", 987654), headers={"User-Agent": BROWSER})
        ).status_code,
        (await client.post("/views", content=live["id"], headers={"User-Agent": "Googlebot/2.1"})).status_code,
    ]
    await views.flush()

    assert answers == [204, 204, 204]
    assert await counted(session) == 0


@pytest.mark.parametrize(
    "body",
    ["", "not an id", json.dumps({"id": 5}), json.dumps(["x"]), "{broken", to_global_id("Author", 1), "x" * 2000],
    ids=["empty", "garbage", "number", "list", "bad-json", "author-id", "too-long"],
)
async def test_anything_else_is_a_coded_400(client, body):
    response = await client.post("/views", content=body, headers={"User-Agent": BROWSER})

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_only_post(client):
    response = await client.get("/views")

    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
