"""GraphQL documents the trending list tests share."""

from __future__ import annotations

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
