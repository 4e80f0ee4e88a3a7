from __future__ import annotations

from cms.vocabulary import Role
from tests import factories
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.taxonomy.operations import DELETE_SECTION, READ_ARTICLE


async def test_an_unused_section_is_deleted(api, session):
    world = await factories.section(api, "World")
    since = await mark(session)

    body = await api(DELETE_SECTION, {"id": world["id"]}, role=Role.EDITOR)

    assert body["data"]["deleteSection"] == {"deletedId": world["id"], "userErrors": []}
    assert (await api("{ sections { slug } }", role=Role.EDITOR))["data"]["sections"] == []
    assert await events_since(session, since) == [
        Event(
            "section.delete",
            await as_role(session, Role.EDITOR),
            subject(world["id"]),
            detail={"name": "World", "slug": "world"},
        )
    ]


async def test_a_section_in_use_is_a_conflict_naming_the_articles(api):
    world = await factories.section(api, "World")
    for title in ("Alpha", "Bravo", "Charlie", "Delta", "Echo"):
        await factories.create_article(api, title=title, sectionId=world["id"])

    body = await api(DELETE_SECTION, {"id": world["id"]}, role=Role.EDITOR)

    assert body["data"]["deleteSection"] == {
        "deletedId": None,
        "userErrors": [
            {
                "field": ["id"],
                "message": "this section is used by 5 articles ('Alpha', 'Bravo', 'Charlie' and 2 more): "
                "pass detach: true to take it off them",
                "code": "CONFLICT",
            }
        ],
    }
    assert [s["slug"] for s in (await api("{ sections { slug } }", role=Role.EDITOR))["data"]["sections"]] == ["world"]


async def test_detach_takes_it_off_the_articles_as_a_new_version(api):
    world = await factories.section(api, "World")
    article = await factories.published_article(api, sectionId=world["id"])

    body = await api(DELETE_SECTION, {"id": world["id"], "detach": True}, role=Role.EDITOR)

    assert body["data"]["deleteSection"]["userErrors"] == []
    after = await api(READ_ARTICLE, {"id": article["id"]})
    assert after["data"]["article"] == {"version": 3, "section": None, "tags": []}
