from __future__ import annotations

from cms.vocabulary import Role
from tests import factories
from tests.graphql.trending.operations import CREATE_TRENDING_LIST, SET_TRENDING_PINS

READ = 'query($first: Int) { trendingList(slug: "hot") { slug title entries(first: $first) { rank pinned article { slug } } } }'


async def test_unknown_slug_is_null(api):
    body = await api('{ trendingList(slug: "nope") { slug } }')
    assert body == {"data": {"trendingList": None}}


async def test_entries_leave_out_what_the_caller_may_not_see(api):
    await api(CREATE_TRENDING_LIST, {"input": {"title": "Hot"}}, role=Role.EDITOR)
    draft = await factories.published_article(api, title="Draft")
    live = await factories.published_article(api, title="Live")
    await api(SET_TRENDING_PINS, {"slug": "hot", "ids": [draft["id"], live["id"]]}, role=Role.EDITOR)
    # Pinned while published, then taken back to draft: still pinned, hidden from readers.
    await api(
        "mutation($id: ID!) { unpublishArticle(id: $id) { userErrors { code } } }",
        {"id": draft["id"]},
        role=Role.EDITOR,
    )

    anonymous = await api(READ)
    editor = await api(READ, role=Role.EDITOR)

    assert anonymous["data"]["trendingList"] == {
        "slug": "hot",
        "title": "Hot",
        "entries": [{"rank": 1, "pinned": True, "article": {"slug": "live"}}],
    }
    assert editor["data"]["trendingList"]["entries"] == [
        {"rank": 1, "pinned": True, "article": {"slug": "draft"}},
        {"rank": 2, "pinned": True, "article": {"slug": "live"}},
    ]


async def test_entries_page_size_is_checked(api):
    await api(CREATE_TRENDING_LIST, {"input": {"title": "Hot"}}, role=Role.EDITOR)

    body = await api(READ, {"first": 51})

    assert body["data"] == {"trendingList": None}
    assert [(e["message"], e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("first must be between 0 and 50", ["trendingList", "entries"], "INVALID")
    ]
