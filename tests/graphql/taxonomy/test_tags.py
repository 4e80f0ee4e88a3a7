from __future__ import annotations

from cms.vocabulary import Role
from tests import factories


async def test_tags_are_listed_by_name(api):
    await factories.create_article(api, tagSlugs=["zebra", "apple-pie"])
    body = await api("{ tags { slug name } }", role=Role.EDITOR)
    assert body["data"]["tags"] == [{"slug": "apple-pie", "name": "Apple Pie"}, {"slug": "zebra", "name": "Zebra"}]


async def test_readers_see_only_tags_on_articles_they_may_read(api):
    await factories.published_article(api, tagNames=["City Hall"])
    await factories.create_article(api, tagNames=["Merger Talks"])
    scheduled = await factories.create_article(api, tagNames=["Embargoed"])
    await factories.publish(api, scheduled["id"], "2999-01-01T00:00:00Z")

    anonymous = await api("{ tags { name } }")
    editor = await api("{ tags { name } }", role=Role.EDITOR)

    assert anonymous["data"]["tags"] == [{"name": "City Hall"}]
    assert editor["data"]["tags"] == [{"name": "City Hall"}, {"name": "Embargoed"}, {"name": "Merger Talks"}]


async def test_tags_given_by_name_keep_it(api):
    article = await factories.create_article(api, tagNames=["City Hall", "  COVID-19 ", "City Hall"])
    assert article["tags"] == [{"slug": "city-hall", "name": "City Hall"}, {"slug": "covid-19", "name": "COVID-19"}]
