"""GraphQL documents the trending list tests share."""

from __future__ import annotations

from cms.vocabulary import Role
from tests import factories

CREATE_TRENDING_LIST = """
mutation($input: CreateTrendingListInput!) {
  createTrendingList(input: $input) { trendingList { id slug title entries { rank } } userErrors { field message code } }
}
"""
SET_TRENDING_PINS = """
mutation($slug: String!, $ids: [ID!]!) {
  setTrendingPins(slug: $slug, articleIds: $ids) {
    trendingList { updatedAt entries { rank pinned article { slug } } }
    userErrors { field message code }
  }
}
"""
ADD_PIN = """
mutation($slug: String!, $id: ID!, $rank: Int) {
  addTrendingPin(slug: $slug, articleId: $id, rank: $rank) {
    trendingList { entries { rank article { slug } } } userErrors { field message code }
  }
}
"""
REMOVE_PIN = """
mutation($slug: String!, $id: ID!) {
  removeTrendingPin(slug: $slug, articleId: $id) {
    trendingList { entries { rank article { slug } } } userErrors { field message code }
  }
}
"""
MOVE_PIN = """
mutation($slug: String!, $id: ID!, $rank: Int!) {
  moveTrendingPin(slug: $slug, articleId: $id, rank: $rank) {
    trendingList { entries { rank article { slug } } } userErrors { field message code }
  }
}
"""
UPDATE_TRENDING_LIST = """
mutation($id: ID!, $input: UpdateTrendingListInput!) {
  updateTrendingList(id: $id, input: $input) { trendingList { slug title description } userErrors { field message code } }
}
"""
DELETE_TRENDING_LIST = (
    "mutation($id: ID!) { deleteTrendingList(id: $id) { deletedId userErrors { field message code } } }"
)


async def pinned_list(api, *titles: str) -> dict[str, str]:
    """A list "hot" with these published articles pinned in order; returns their IDs by slug."""
    await api(CREATE_TRENDING_LIST, {"input": {"title": "Hot"}}, role=Role.EDITOR)
    ids = {t.lower(): (await factories.published_article(api, title=t))["id"] for t in titles}
    await api(SET_TRENDING_PINS, {"slug": "hot", "ids": list(ids.values())}, role=Role.EDITOR)
    return ids


def slugs(body: dict, mutation: str) -> list[str]:
    return [e["article"]["slug"] for e in body["data"][mutation]["trendingList"]["entries"]]


async def list_id(api, slug: str = "hot") -> str:
    return (await api("query($s: String!) { trendingList(slug: $s) { id } }", {"s": slug}))["data"]["trendingList"][
        "id"
    ]
