from __future__ import annotations

import pytest

from cms.graphql.ids import to_global_id
from cms.vocabulary import Role
from tests import factories
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.trending.operations import CREATE_TRENDING_LIST as CREATE


async def test_taken_slug(api, session):
    await api(CREATE, {"input": {"title": "Hot"}}, role=Role.EDITOR)
    since = await mark(session)
    body = await api(CREATE, {"input": {"title": "Other", "slug": "hot"}}, role=Role.EDITOR)
    assert body["data"]["createTrendingList"]["userErrors"] == [
        {"field": ["input", "slug"], "message": "the slug 'hot' is already taken", "code": "ALREADY_EXISTS"}
    ]
    assert await events_since(session, since) == []


async def test_create_records_who_made_which_list(api, session):
    body = await api(CREATE, {"input": {"title": "Trending Now"}}, role=Role.EDITOR)

    created = body["data"]["createTrendingList"]["trendingList"]
    assert await events_since(session, 0) == [
        Event(
            "trending_list.create",
            await as_role(session, Role.EDITOR),
            subject(created["id"]),
            detail={"title": "Trending Now", "slug": "trending-now"},
        )
    ]


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.AUTHOR, "FORBIDDEN")],
    ids=["anonymous", "preview", "author"],
)
async def test_only_editors_create_lists(api, role, code):
    await api(CREATE, {"input": {"title": "Hot"}}, role=Role.EDITOR)

    body = await api(CREATE, {"input": {"title": "Mine"}}, role=role)

    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert (await api("{ trendingLists { slug entries { rank } } }"))["data"]["trendingLists"] == [
        {"slug": "hot", "entries": []}
    ]


WITH_WINDOW = """mutation($input: CreateTrendingListInput!) {
  createTrendingList(input: $input) { trendingList { window section { slug } } userErrors { field message code } }
}"""


async def test_a_window_and_a_section_or_a_day_of_everything(api):
    world = await factories.section(api, "World")

    chosen = await api(
        WITH_WINDOW, {"input": {"title": "A", "window": "WEEK", "sectionId": world["id"]}}, role=Role.EDITOR
    )
    default = await api(WITH_WINDOW, {"input": {"title": "B"}}, role=Role.EDITOR)

    assert chosen["data"]["createTrendingList"] == {
        "trendingList": {"window": "WEEK", "section": {"slug": "world"}},
        "userErrors": [],
    }
    assert default["data"]["createTrendingList"]["trendingList"] == {"window": "DAY", "section": None}


@pytest.mark.parametrize(
    ("section_id", "code"),
    [(to_global_id("Section", 987654), "NOT_FOUND"), (to_global_id("Tag", 1), "INVALID")],
    ids=["unknown", "not-a-section"],
)
async def test_a_section_that_is_none_is_refused(api, session, section_id, code):
    body = await api(WITH_WINDOW, {"input": {"title": "A", "sectionId": section_id}}, role=Role.EDITOR)

    errors = body["data"]["createTrendingList"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "sectionId"], code)]
    assert (await api("{ trendingLists { slug } }"))["data"]["trendingLists"] == []
