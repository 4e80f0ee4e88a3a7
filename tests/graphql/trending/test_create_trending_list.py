from __future__ import annotations

import pytest

from cms.vocabulary import Role
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
