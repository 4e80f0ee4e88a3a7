from __future__ import annotations

from cms.vocabulary import Role
from tests import factories
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


async def test_changes_window_and_section_and_clears_the_section(api):
    world = await factories.section(api, "World")
    created = await api(
        'mutation { createTrendingList(input: {title: "Hot"}) { trendingList { id } } }', role=Role.EDITOR
    )
    list_id = created["data"]["createTrendingList"]["trendingList"]["id"]
    update = """mutation($id: ID!, $input: UpdateTrendingListInput!) {
      updateTrendingList(id: $id, input: $input) { trendingList { window section { slug } } userErrors { code } } }"""

    moved = await api(update, {"id": list_id, "input": {"window": "HOUR", "sectionId": world["id"]}}, role=Role.EDITOR)
    cleared = await api(update, {"id": list_id, "input": {"sectionId": None}}, role=Role.EDITOR)

    assert moved["data"]["updateTrendingList"]["trendingList"] == {"window": "HOUR", "section": {"slug": "world"}}
    assert cleared["data"]["updateTrendingList"]["trendingList"] == {"window": "HOUR", "section": None}
