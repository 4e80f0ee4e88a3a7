from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests import factories
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject

UPDATE = """
mutation($id: ID!, $input: UpdateAuthorInput!) {
  updateAuthor(id: $id, input: $input) { author { slug name bio avatar { id } } userErrors { field message code } }
}
"""
READ = "query($id: ID!) { author(id: $id) { name } }"


async def test_update_changes_given_fields(api):
    author = await factories.author(api, "Old Name", bio="Bio")
    body = await api(UPDATE, {"id": author["id"], "input": {"name": "New Name", "slug": "new-name"}}, role=Role.EDITOR)
    assert body["data"]["updateAuthor"] == {
        "author": {"slug": "new-name", "name": "New Name", "bio": "Bio", "avatar": None},
        "userErrors": [],
    }


async def test_update_unknown_is_not_found(api):
    body = await api(UPDATE, {"id": "QXV0aG9yOjk5OTk5", "input": {"name": "x"}}, role=Role.EDITOR)
    assert body["data"]["updateAuthor"]["userErrors"] == [
        {"field": ["id"], "message": "no such author", "code": "NOT_FOUND"}
    ]


async def test_update_with_null_name_is_invalid(api, session):
    author = await factories.author(api, "Named")
    since = await mark(session)
    body = await api(UPDATE, {"id": author["id"], "input": {"name": None}}, role=Role.EDITOR)
    assert body["data"]["updateAuthor"] == {
        "author": None,
        "userErrors": [{"field": ["input", "name"], "message": "name must not be empty", "code": "INVALID"}],
    }
    assert await events_since(session, since) == []


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.AUTHOR, "FORBIDDEN")],
    ids=["anonymous", "preview", "author"],
)
async def test_only_editors_update_authors(api, session, role, code):
    author = await factories.author(api, "Kept Name")
    since = await mark(session)

    body = await api(UPDATE, {"id": author["id"], "input": {"name": "Y"}}, role=role)

    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    # An update adds or removes no rows, so a row count could not tell; read the author back.
    assert (await api(READ, {"id": author["id"]}))["data"]["author"] == {"name": "Kept Name"}
    assert await events_since(session, since) == []


async def test_update_records_the_fields_it_changed(api, session):
    photo = await factories.media(api)
    author = await factories.author(api, "Old Name", bio="Bio")
    since = await mark(session)

    # The bio is given as it is: not a change.
    await api(
        UPDATE,
        {"id": author["id"], "input": {"name": "New Name", "bio": "Bio", "avatarId": photo["id"]}},
        role=Role.EDITOR,
    )

    assert await events_since(session, since) == [
        Event("author.update", await as_role(session, Role.EDITOR), subject(author["id"]), ["avatarId", "name"])
    ]
