from __future__ import annotations

from cms.vocabulary import Role
from tests.graphql.audit.operations import Event, as_role, events_since, subject
from tests.graphql.taxonomy.operations import CREATE_TAG


async def test_a_tag_with_its_shown_name(api, session):
    body = await api(CREATE_TAG, {"input": {"name": "City Hall", "description": "Local government."}}, role=Role.EDITOR)

    tag = body["data"]["createTag"]["tag"]
    assert (tag["slug"], tag["name"], tag["description"]) == ("city-hall", "City Hall", "Local government.")
    assert await events_since(session, 0) == [
        Event(
            "tag.create",
            await as_role(session, Role.EDITOR),
            subject(tag["id"]),
            detail={"name": "City Hall", "slug": "city-hall"},
        )
    ]


async def test_articles_then_use_it_by_slug_or_name(api):
    await api(CREATE_TAG, {"input": {"name": "City Hall"}}, role=Role.EDITOR)
    by_slug = await api(
        'mutation { createArticle(input: {title: "A", tagSlugs: ["city-hall"]}) { article { tags { name } } } }',
        role=Role.EDITOR,
    )
    by_name = await api(
        'mutation { createArticle(input: {title: "B", tagNames: ["city hall"]}) { article { tags { name } } } }',
        role=Role.EDITOR,
    )
    assert by_slug["data"]["createArticle"]["article"]["tags"] == [{"name": "City Hall"}]
    assert by_name["data"]["createArticle"]["article"]["tags"] == [{"name": "City Hall"}]


async def test_a_taken_slug_is_already_exists(api):
    await api(CREATE_TAG, {"input": {"name": "City Hall"}}, role=Role.EDITOR)
    body = await api(CREATE_TAG, {"input": {"name": "Town Hall", "slug": "city-hall"}}, role=Role.EDITOR)
    assert body["data"]["createTag"]["userErrors"] == [
        {"field": ["input", "slug"], "message": "the slug 'city-hall' is already taken", "code": "ALREADY_EXISTS"}
    ]
