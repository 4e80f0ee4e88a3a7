from __future__ import annotations

from cms.vocabulary import Role
from tests import factories
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.taxonomy.operations import UPDATE_SECTION


async def test_changes_only_the_fields_given(api):
    world = await factories.section(api, "World", description="News from abroad.")

    body = await api(UPDATE_SECTION, {"id": world["id"], "input": {"name": "World News"}}, role=Role.EDITOR)

    assert body["data"]["updateSection"] == {
        "section": {"id": world["id"], "slug": "world", "name": "World News", "description": "News from abroad."},
        "userErrors": [],
    }


async def test_a_new_slug_and_a_cleared_description(api):
    world = await factories.section(api, "World", description="x")

    body = await api(
        UPDATE_SECTION, {"id": world["id"], "input": {"slug": "international", "description": None}}, role=Role.EDITOR
    )

    assert body["data"]["updateSection"]["section"]["slug"] == "international"
    assert body["data"]["updateSection"]["section"]["description"] is None


async def test_every_problem_at_once_and_nothing_written(api, session):
    await factories.section(api, "Business")
    world = await factories.section(api, "World")
    since = await mark(session)

    body = await api(UPDATE_SECTION, {"id": world["id"], "input": {"name": " ", "slug": "business"}}, role=Role.EDITOR)

    assert body["data"]["updateSection"] == {
        "section": None,
        "userErrors": [
            {"field": ["input", "name"], "message": "name must not be empty", "code": "INVALID"},
            {"field": ["input", "slug"], "message": "the slug 'business' is already taken", "code": "ALREADY_EXISTS"},
        ],
    }
    listed = await api("{ sections { slug name } }", role=Role.EDITOR)
    assert listed["data"]["sections"] == [{"slug": "business", "name": "Business"}, {"slug": "world", "name": "World"}]
    assert await events_since(session, since) == []


async def test_unknown_and_undecodable_ids(api):
    unknown = await api(UPDATE_SECTION, {"id": "U2VjdGlvbjo5OTk5", "input": {"name": "X"}}, role=Role.EDITOR)
    wrong = await api(UPDATE_SECTION, {"id": "VGFnOjE=", "input": {"name": "X"}}, role=Role.EDITOR)
    assert unknown["data"]["updateSection"]["userErrors"] == [
        {"field": ["id"], "message": "no such section", "code": "NOT_FOUND"}
    ]
    assert wrong["data"]["updateSection"]["userErrors"] == [
        {"field": ["id"], "message": "id: expected Section, got Tag", "code": "INVALID"}
    ]


async def test_update_records_the_fields_it_changed(api, session):
    world = await factories.section(api, "World", description="x")
    since = await mark(session)

    # The name is given as it is: not a change.
    await api(
        UPDATE_SECTION,
        {"id": world["id"], "input": {"name": "World", "slug": "international", "description": None}},
        role=Role.EDITOR,
    )

    assert await events_since(session, since) == [
        Event("section.update", await as_role(session, Role.EDITOR), subject(world["id"]), ["description", "slug"])
    ]
