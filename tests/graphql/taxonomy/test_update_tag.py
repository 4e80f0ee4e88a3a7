from __future__ import annotations

from cms.vocabulary import Role
from tests import factories
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.taxonomy.operations import CREATE_TAG, UPDATE_TAG


async def test_renaming_a_tag_shows_on_its_articles(api):
    article = await factories.published_article(api, tagSlugs=["city-hall"])
    tag_id = (await api('{ tag(slug: "city-hall") { id } }'))["data"]["tag"]["id"]

    body = await api(UPDATE_TAG, {"id": tag_id, "input": {"name": "City Hall (NYC)"}}, role=Role.EDITOR)

    assert body["data"]["updateTag"]["tag"]["name"] == "City Hall (NYC)"
    read = await api("query($id: ID!) { article(id: $id) { tags { slug name } } }", {"id": article["id"]})
    assert read["data"]["article"]["tags"] == [{"slug": "city-hall", "name": "City Hall (NYC)"}]


async def test_update_records_the_fields_it_changed(api, session):
    tag = (await api(CREATE_TAG, {"input": {"name": "City Hall"}}, role=Role.EDITOR))["data"]["createTag"]["tag"]
    since = await mark(session)

    await api(UPDATE_TAG, {"id": tag["id"], "input": {"name": "Town Hall"}}, role=Role.EDITOR)

    assert await events_since(session, since) == [
        Event("tag.update", await as_role(session, Role.EDITOR), subject(tag["id"]), ["name"])
    ]
