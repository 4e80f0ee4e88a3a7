from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests import factories
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.authors.operations import authors_count

CREATE = """
mutation($input: CreateAuthorInput!) {
  createAuthor(input: $input) { author { id slug name bio avatar { id credit } } userErrors { field message code } }
}
"""


async def test_create_with_avatar_and_derived_slug(api):
    photo = await factories.media(api, credit="Newsroom")
    body = await api(
        CREATE, {"input": {"name": "Zoë Ångström", "bio": "Writes.", "avatarId": photo["id"]}}, role=Role.EDITOR
    )
    payload = body["data"]["createAuthor"]
    assert payload["userErrors"] == []
    assert payload["author"]["slug"] == "zoe-angstrom"
    assert payload["author"]["avatar"] == {"id": photo["id"], "credit": "Newsroom"}


async def test_create_reports_all_problems(api, session):
    await factories.author(api, "Taken", slug="taken")
    before, since = await authors_count(session), await mark(session)
    body = await api(
        CREATE, {"input": {"name": " ", "slug": "taken", "avatarId": "TWVkaWE6OTk5OTk="}}, role=Role.EDITOR
    )
    assert body["data"]["createAuthor"] == {
        "author": None,
        "userErrors": [
            {"field": ["input", "name"], "message": "name must not be empty", "code": "INVALID"},
            {"field": ["input", "avatarId"], "message": "no such media", "code": "NOT_FOUND"},
            {"field": ["input", "slug"], "message": "the slug 'taken' is already taken", "code": "ALREADY_EXISTS"},
        ],
    }
    assert await authors_count(session) == before
    assert await events_since(session, since) == []


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.AUTHOR, "FORBIDDEN")],
    ids=["anonymous", "preview", "author"],
)
async def test_only_editors_create_authors(api, session, role, code):
    before, since = await authors_count(session), await mark(session)

    body = await api(CREATE, {"input": {"name": "X"}}, role=role)

    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert await authors_count(session) == before
    assert await events_since(session, since) == []


async def test_create_records_who_made_which_author(api, session):
    since = await mark(session)

    body = await api(CREATE, {"input": {"name": "Jane Doe", "bio": "Writes."}}, role=Role.EDITOR)

    author = body["data"]["createAuthor"]["author"]
    assert await events_since(session, since) == [
        Event(
            "author.create",
            await as_role(session, Role.EDITOR),
            subject(author["id"]),
            detail={"name": "Jane Doe", "slug": "jane-doe"},
        )
    ]
