from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests import factories
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject

CREATE = """
mutation($input: CreateSectionInput!) {
  createSection(input: $input) { section { id slug name } userErrors { field message code } }
}
"""


async def test_create_section_and_list_by_name(api):
    await factories.section(api, "World")
    body = await api(CREATE, {"input": {"name": "Économie"}}, role=Role.EDITOR)
    assert body["data"]["createSection"]["section"]["slug"] == "economie"
    listed = await api("{ sections { slug name } }", role=Role.EDITOR)
    assert listed["data"]["sections"] == [{"slug": "world", "name": "World"}, {"slug": "economie", "name": "Économie"}]


async def test_taken_slug_and_empty_name(api, session):
    await factories.section(api, "World")
    since = await mark(session)
    body = await api(CREATE, {"input": {"name": "", "slug": "world"}}, role=Role.EDITOR)
    assert body["data"]["createSection"]["userErrors"] == [
        {"field": ["input", "name"], "message": "name must not be empty", "code": "INVALID"},
        {"field": ["input", "slug"], "message": "the slug 'world' is already taken", "code": "ALREADY_EXISTS"},
    ]
    assert await events_since(session, since) == []


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.AUTHOR, "FORBIDDEN")],
    ids=["anonymous", "preview", "author"],
)
async def test_only_editors_create_sections(api, role, code):
    body = await api(CREATE, {"input": {"name": "X"}}, role=role)
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert (await api("{ sections { slug } }", role=Role.EDITOR))["data"]["sections"] == []


async def test_a_description_is_kept(api):
    body = await api(
        CREATE.replace("id slug name", "slug description"),
        {"input": {"name": "Climate", "description": "  The warming world.  "}},
        role=Role.EDITOR,
    )
    assert body["data"]["createSection"]["section"] == {"slug": "climate", "description": "The warming world."}


async def test_create_records_who_made_which_section(api, session):
    body = await api(CREATE, {"input": {"name": "Économie"}}, role=Role.ADMIN)

    section = body["data"]["createSection"]["section"]
    assert await events_since(session, 0) == [
        Event(
            "section.create",
            await as_role(session, Role.ADMIN),
            subject(section["id"]),
            detail={"name": "Économie", "slug": "economie"},
        )
    ]
