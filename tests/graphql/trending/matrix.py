"""Who may run the trending list mutations (see tests/graphql/roles.py)."""

from __future__ import annotations

from typing import Any

from cms.vocabulary import Role
from tests.graphql.roles import EDITORS, PAYLOAD, Cases, a_live_article, nothing, unique


async def a_trending_list(api: Any) -> dict[str, Any]:
    slug = f"list-{unique()}"
    await api(
        f'mutation {{ createTrendingList(input: {{title: "L", slug: "{slug}"}}) {{ {PAYLOAD} }} }}', role=Role.EDITOR
    )
    return {"slug": slug, "ids": [(await a_live_article(api))["id"]]}


CASES: Cases = {
    "createTrendingList": (
        f'mutation {{ createTrendingList(input: {{title: "Hot"}}) {{ {PAYLOAD} }} }}',
        nothing,
        EDITORS,
    ),
    "setTrendingPins": (
        f"mutation($slug: String!, $ids: [ID!]!) {{ setTrendingPins(slug: $slug, articleIds: $ids) {{ {PAYLOAD} }} }}",
        a_trending_list,
        EDITORS,
    ),
}
