from __future__ import annotations

from cms.vocabulary import Role
from tests import factories
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.trending.operations import ADD_PIN, list_id, pinned_list, slugs


async def test_adds_at_the_end_or_at_a_rank(api):
    await pinned_list(api, "A", "B")
    c = await factories.published_article(api, title="C")
    d = await factories.published_article(api, title="D")

    at_end = await api(ADD_PIN, {"slug": "hot", "id": c["id"]}, role=Role.EDITOR)
    at_top = await api(ADD_PIN, {"slug": "hot", "id": d["id"], "rank": 1}, role=Role.EDITOR)

    assert slugs(at_end, "addTrendingPin") == ["a", "b", "c"]
    assert slugs(at_top, "addTrendingPin") == ["d", "a", "b", "c"]


async def test_refuses_what_cannot_be_pinned(api, session):
    ids = await pinned_list(api, "A")
    draft = await factories.create_article(api, title="Draft")
    since = await mark(session)

    twice = await api(ADD_PIN, {"slug": "hot", "id": ids["a"]}, role=Role.EDITOR)
    unpublished = await api(ADD_PIN, {"slug": "hot", "id": draft["id"], "rank": 9}, role=Role.EDITOR)
    undecodable = await api(ADD_PIN, {"slug": "hot", "id": "nope"}, role=Role.EDITOR)
    no_list = await api(ADD_PIN, {"slug": "nope", "id": draft["id"]}, role=Role.EDITOR)

    assert twice["data"]["addTrendingPin"]["userErrors"] == [
        {"field": ["articleId"], "message": "already pinned at rank 1", "code": "ALREADY_EXISTS"}
    ]
    assert unpublished["data"]["addTrendingPin"]["userErrors"] == [
        {
            "field": ["articleId"],
            "message": "only published articles can be pinned: readers cannot see this one",
            "code": "INVALID",
        },
        {"field": ["rank"], "message": "rank must be between 1 and 2", "code": "INVALID"},
    ]
    assert undecodable["data"]["addTrendingPin"]["userErrors"] == [
        {"field": ["articleId"], "message": "articleId: not a valid ID", "code": "INVALID"}
    ]
    assert no_list["data"]["addTrendingPin"]["userErrors"] == [
        {"field": ["slug"], "message": "no such trending list", "code": "NOT_FOUND"}
    ]
    read = await api('{ trendingList(slug: "hot") { entries { article { slug } } } }')
    assert read["data"]["trendingList"]["entries"] == [{"article": {"slug": "a"}}]
    assert await events_since(session, since) == []


async def test_adding_records_the_article_and_its_rank(api, session):
    await pinned_list(api, "A", "B")
    c = await factories.published_article(api, title="C")
    since = await mark(session)

    await api(ADD_PIN, {"slug": "hot", "id": c["id"], "rank": 2}, role=Role.EDITOR)

    assert await events_since(session, since) == [
        Event(
            "trending_list.pins",
            await as_role(session, Role.EDITOR),
            subject(await list_id(api)),
            detail={"change": "add", "articleId": subject(c["id"])[1], "rank": 2},
        )
    ]
