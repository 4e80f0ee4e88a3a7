from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests.graphql.trending.operations import CREATE_TRENDING_LIST as CREATE


async def test_taken_slug(api):
    await api(CREATE, {"input": {"title": "Hot"}}, role=Role.EDITOR)
    body = await api(CREATE, {"input": {"title": "Other", "slug": "hot"}}, role=Role.EDITOR)
    assert body["data"]["createTrendingList"]["userErrors"] == [
        {"field": ["input", "slug"], "message": "the slug 'hot' is already taken", "code": "ALREADY_EXISTS"}
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
