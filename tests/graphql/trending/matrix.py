"""Who may run the trending list mutations (see tests/graphql/roles.py)."""

from __future__ import annotations

from typing import Any

from cms.vocabulary import Role
from tests.graphql.roles import EDITORS, EVERYONE, PAYLOAD, Cases, a_live_article, nothing, unique


async def a_trending_list(api: Any) -> dict[str, Any]:
    slug = f"list-{unique()}"
    await api(
        f'mutation {{ createTrendingList(input: {{title: "L", slug: "{slug}"}}) {{ {PAYLOAD} }} }}', role=Role.EDITOR
    )
    return {"slug": slug, "ids": [(await a_live_article(api))["id"]]}


async def a_list_by_id(api: Any) -> dict[str, Any]:
    body = await api(
        f'mutation {{ createTrendingList(input: {{title: "L {unique()}"}}) {{ trendingList {{ id }} }} }}',
        role=Role.EDITOR,
    )
    return {"id": body["data"]["createTrendingList"]["trendingList"]["id"]}


async def a_pinned_list(api: Any) -> dict[str, Any]:
    variables = await a_trending_list(api)
    await api(
        "mutation($slug: String!, $ids: [ID!]!) { setTrendingPins(slug: $slug, articleIds: $ids) { userErrors { code } } }",
        variables,
        role=Role.EDITOR,
    )
    return {"slug": variables["slug"], "id": variables["ids"][0]}


async def a_list_and_an_article(api: Any) -> dict[str, Any]:
    variables = await a_trending_list(api)
    return {"slug": variables["slug"], "id": variables["ids"][0]}


CASES: Cases = {
    # Anyone may count a read, anonymous readers above all; it writes nothing until flushed.
    "recordArticleView": ("mutation($id: ID!) { recordArticleView(id: $id) }", a_live_article, EVERYONE),
    "createTrendingList": (
        f'mutation {{ createTrendingList(input: {{title: "Hot"}}) {{ {PAYLOAD} }} }}',
        nothing,
        EDITORS,
    ),
    "updateTrendingList": (
        f'mutation($id: ID!) {{ updateTrendingList(id: $id, input: {{description: "d"}}) {{ {PAYLOAD} }} }}',
        a_list_by_id,
        EDITORS,
    ),
    "deleteTrendingList": (
        f"mutation($id: ID!) {{ deleteTrendingList(id: $id) {{ {PAYLOAD} }} }}",
        a_list_by_id,
        EDITORS,
    ),
    "addTrendingPin": (
        f"mutation($slug: String!, $id: ID!) {{ addTrendingPin(slug: $slug, articleId: $id) {{ {PAYLOAD} }} }}",
        a_list_and_an_article,
        EDITORS,
    ),
    "removeTrendingPin": (
        f"mutation($slug: String!, $id: ID!) {{ removeTrendingPin(slug: $slug, articleId: $id) {{ {PAYLOAD} }} }}",
        a_pinned_list,
        EDITORS,
    ),
    "moveTrendingPin": (
        f"mutation($slug: String!, $id: ID!) {{ moveTrendingPin(slug: $slug, articleId: $id, rank: 1) {{ {PAYLOAD} }} }}",
        a_pinned_list,
        EDITORS,
    ),
    "setTrendingPins": (
        f"mutation($slug: String!, $ids: [ID!]!) {{ setTrendingPins(slug: $slug, articleIds: $ids) {{ {PAYLOAD} }} }}",
        a_trending_list,
        EDITORS,
    ),
}
