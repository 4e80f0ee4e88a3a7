from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests import factories

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


async def test_taken_slug_and_empty_name(api):
    await factories.section(api, "World")
    body = await api(CREATE, {"input": {"name": "", "slug": "world"}}, role=Role.EDITOR)
    assert body["data"]["createSection"]["userErrors"] == [
        {"field": ["input", "name"], "message": "name must not be empty", "code": "INVALID"},
        {"field": ["input", "slug"], "message": "the slug 'world' is already taken", "code": "ALREADY_EXISTS"},
    ]


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
