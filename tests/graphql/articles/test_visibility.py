"""Who sees which article: the same answer from lookups, lists and node()."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cms.vocabulary import Role
from tests import factories

ROLES = [None, Role.PREVIEW, Role.AUTHOR, Role.EDITOR, Role.ADMIN]
VISIBLE = {
    None: {"live"},
    Role.PREVIEW: {"live", "scheduled", "draft", "own-draft"},
    Role.AUTHOR: {"live", "own-draft"},
    Role.EDITOR: {"live", "scheduled", "draft", "own-draft"},
    Role.ADMIN: {"live", "scheduled", "draft", "own-draft"},
}


@pytest.fixture
async def articles(api) -> dict[str, str]:
    live = await factories.published_article(api, title="Live")
    scheduled = await factories.create_article(api, title="Scheduled")
    await factories.publish(api, scheduled["id"], (datetime.now(UTC) + timedelta(days=1)).isoformat())
    draft = await factories.create_article(api, title="Draft")
    own = await factories.create_article(api, role=Role.AUTHOR, title="Own draft")
    return {"live": live["id"], "scheduled": scheduled["id"], "draft": draft["id"], "own-draft": own["id"]}


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
async def test_lookups(api, articles, role):
    seen = set()
    for name, article_id in articles.items():
        body = await api(
            "query($id: ID!) { article(id: $id) { id } node(id: $id) { id } }", {"id": article_id}, role=role
        )
        assert body["data"]["article"] == body["data"]["node"]
        if body["data"]["article"]:
            seen.add(name)
    assert seen == VISIBLE[role]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
async def test_lists(api, articles, role):
    body = await api("{ articles(first: 100) { totalCount edges { node { slug } } } }", role=role)
    got = {e["node"]["slug"] for e in body["data"]["articles"]["edges"]}
    assert got == VISIBLE[role]
    assert body["data"]["articles"]["totalCount"] == len(VISIBLE[role])


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
async def test_author_pages(api, articles, role):
    body = await api('{ author(slug: "own-author") { articles { totalCount edges { node { slug } } } } }', role=role)
    got = {e["node"]["slug"] for e in body["data"]["author"]["articles"]["edges"]}
    assert got == VISIBLE[role] & {"own-draft"}


async def test_trending_entries_hide_what_the_caller_may_not_see(api, articles):
    # Only published articles can be pinned; one that is unpublished later stays pinned, unseen.
    later = await factories.published_article(api, title="Draft")
    await api('mutation { createTrendingList(input: {title: "Hot"}) { userErrors { code } } }', role=Role.EDITOR)
    pinned = await api(
        'mutation($ids: [ID!]!) { setTrendingPins(slug: "hot", articleIds: $ids) { userErrors { code } } }',
        {"ids": [later["id"], articles["live"]]},
        role=Role.EDITOR,
    )
    assert pinned["data"]["setTrendingPins"]["userErrors"] == []
    await api(
        "mutation($id: ID!) { unpublishArticle(id: $id) { userErrors { code } } }",
        {"id": later["id"]},
        role=Role.EDITOR,
    )
    query = '{ trendingList(slug: "hot") { entries { rank article { slug } } } }'

    anonymous = await api(query)
    editor = await api(query, role=Role.EDITOR)

    assert anonymous["data"]["trendingList"]["entries"] == [{"rank": 1, "article": {"slug": "live"}}]
    assert [e["article"]["slug"] for e in editor["data"]["trendingList"]["entries"]] == ["draft-2", "live"]
