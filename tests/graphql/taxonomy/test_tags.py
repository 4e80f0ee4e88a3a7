from __future__ import annotations

from tests import factories


async def test_tags_are_listed_by_name(api):
    await factories.create_article(api, tagSlugs=["zebra", "apple-pie"])
    body = await api("{ tags { slug name } }")
    assert body["data"]["tags"] == [{"slug": "apple-pie", "name": "apple pie"}, {"slug": "zebra", "name": "zebra"}]
