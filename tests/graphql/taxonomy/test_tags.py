from __future__ import annotations

from cms.vocabulary import Role
from tests import factories


async def test_tags_are_listed_by_name(api):
    await factories.create_article(api, tagSlugs=["zebra", "apple-pie"])
    body = await api("{ tags { slug name } }", role=Role.EDITOR)
    assert body["data"]["tags"] == [{"slug": "apple-pie", "name": "Apple Pie"}, {"slug": "zebra", "name": "Zebra"}]
