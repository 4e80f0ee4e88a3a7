from __future__ import annotations

from cms.vocabulary import Role
from tests import factories

TAG_PAGE = """
query($slug: String!) { tag(slug: $slug) { name description articles { totalCount edges { node { title } } } } }
"""


async def test_a_tag_page_in_one_query(api):
    await factories.published_article(api, title="One", tagNames=["City Hall"])
    await factories.published_article(api, title="Two", tagNames=["City Hall", "Budget"])
    await factories.create_article(api, title="Unpublished", tagNames=["City Hall"])

    body = await api(TAG_PAGE, {"slug": "city-hall"})

    assert body["data"]["tag"] == {
        "name": "City Hall",
        "description": None,
        "articles": {"totalCount": 2, "edges": [{"node": {"title": "Two"}}, {"node": {"title": "One"}}]},
    }


async def test_a_tag_only_drafts_carry_is_hidden_from_readers(api):
    await factories.create_article(api, title="Secret", tagNames=["Merger Talks"])

    anonymous = await api(TAG_PAGE, {"slug": "merger-talks"})
    editor = await api(TAG_PAGE, {"slug": "merger-talks"}, role=Role.EDITOR)

    assert anonymous["data"]["tag"] is None
    assert editor["data"]["tag"]["articles"]["totalCount"] == 1
