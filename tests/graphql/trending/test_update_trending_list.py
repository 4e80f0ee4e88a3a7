from __future__ import annotations

from cms.vocabulary import Role
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.trending.operations import CREATE_TRENDING_LIST, UPDATE_TRENDING_LIST


async def test_changes_title_slug_and_description(api):
    created = await api(CREATE_TRENDING_LIST, {"input": {"title": "Hot"}}, role=Role.EDITOR)
    list_id = created["data"]["createTrendingList"]["trendingList"]["id"]

    body = await api(
        UPDATE_TRENDING_LIST,
        {"id": list_id, "input": {"title": "Trending Now", "slug": "trending-now", "description": "Most read today."}},
        role=Role.EDITOR,
    )

    assert body["data"]["updateTrendingList"] == {
        "trendingList": {"slug": "trending-now", "title": "Trending Now", "description": "Most read today."},
        "userErrors": [],
    }
    assert (await api('{ trendingList(slug: "hot") { slug } }'))["data"]["trendingList"] is None


async def test_update_records_the_fields_it_changed(api, session):
    created = await api(CREATE_TRENDING_LIST, {"input": {"title": "Hot"}}, role=Role.EDITOR)
    list_id = created["data"]["createTrendingList"]["trendingList"]["id"]
    since = await mark(session)

    await api(UPDATE_TRENDING_LIST, {"id": list_id, "input": {"title": "Hot", "description": "New."}}, role=Role.EDITOR)

    assert await events_since(session, since) == [
        Event("trending_list.update", await as_role(session, Role.EDITOR), subject(list_id), ["description"])
    ]
