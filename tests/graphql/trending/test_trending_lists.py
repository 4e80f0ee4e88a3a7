from __future__ import annotations

from cms.vocabulary import Role
from tests.graphql.trending.operations import CREATE_TRENDING_LIST


async def test_lists_are_ordered_by_title(api):
    # Made out of title order, so a list in the order of creation would fail.
    for title in ("Most Read", "Editors' Picks", "Trending Now"):
        await api(CREATE_TRENDING_LIST, {"input": {"title": title}}, role=Role.EDITOR)

    body = await api("{ trendingLists { slug title } }")

    assert body["data"]["trendingLists"] == [
        {"slug": "editors-picks", "title": "Editors' Picks"},
        {"slug": "most-read", "title": "Most Read"},
        {"slug": "trending-now", "title": "Trending Now"},
    ]
