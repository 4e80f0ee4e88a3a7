from __future__ import annotations

from cms.vocabulary import Role
from tests import factories
from tests.graphql.taxonomy.operations import UPDATE_TAG


async def test_renaming_a_tag_shows_on_its_articles(api):
    article = await factories.published_article(api, tagSlugs=["city-hall"])
    tag_id = (await api('{ tag(slug: "city-hall") { id } }'))["data"]["tag"]["id"]

    body = await api(UPDATE_TAG, {"id": tag_id, "input": {"name": "City Hall (NYC)"}}, role=Role.EDITOR)

    assert body["data"]["updateTag"]["tag"]["name"] == "City Hall (NYC)"
    read = await api("query($id: ID!) { article(id: $id) { tags { slug name } } }", {"id": article["id"]})
    assert read["data"]["article"]["tags"] == [{"slug": "city-hall", "name": "City Hall (NYC)"}]
