from __future__ import annotations

from cms.vocabulary import Role
from tests import factories
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.trending.operations import REMOVE_PIN, list_id, pinned_list, slugs


async def test_removes_one_and_the_rest_move_up(api):
    ids = await pinned_list(api, "A", "B", "C")

    body = await api(REMOVE_PIN, {"slug": "hot", "id": ids["b"]}, role=Role.EDITOR)

    assert slugs(body, "removeTrendingPin") == ["a", "c"]
    assert [e["rank"] for e in body["data"]["removeTrendingPin"]["trendingList"]["entries"]] == [1, 2]


async def test_an_article_not_on_the_list_is_not_found(api, session):
    await pinned_list(api, "A")
    other = await factories.published_article(api, title="Other")
    since = await mark(session)

    body = await api(REMOVE_PIN, {"slug": "hot", "id": other["id"]}, role=Role.EDITOR)

    assert body["data"]["removeTrendingPin"]["userErrors"] == [
        {"field": ["articleId"], "message": "this article is not pinned on the list", "code": "NOT_FOUND"}
    ]
    assert await events_since(session, since) == []


async def test_removing_records_the_article_and_the_rank_it_had(api, session):
    ids = await pinned_list(api, "A", "B", "C")
    since = await mark(session)

    await api(REMOVE_PIN, {"slug": "hot", "id": ids["b"]}, role=Role.EDITOR)

    assert await events_since(session, since) == [
        Event(
            "trending_list.pins",
            await as_role(session, Role.EDITOR),
            subject(await list_id(api)),
            detail={"change": "remove", "articleId": subject(ids["b"])[1], "rank": 2},
        )
    ]
