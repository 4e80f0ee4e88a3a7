from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests import factories
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.authors.operations import authors_count

DELETE = "mutation($id: ID!) { deleteAuthor(id: $id) { deletedId userErrors { field message code } } }"


async def test_delete_without_bylines(api, session):
    author = await factories.author(api)
    before, since = await authors_count(session), await mark(session)
    body = await api(DELETE, {"id": author["id"]}, role=Role.EDITOR)
    assert body["data"]["deleteAuthor"] == {"deletedId": author["id"], "userErrors": []}
    assert await authors_count(session) == before - 1
    # The log keeps what the author was called: the subject is gone.
    assert await events_since(session, since) == [
        Event(
            "author.delete",
            await as_role(session, Role.EDITOR),
            subject(author["id"]),
            detail={"name": "Jane Doe", "slug": "jane-doe"},
        )
    ]


async def test_delete_with_bylines_is_conflict(api, session):
    author = await factories.author(api)
    await factories.create_article(api, authorIds=[author["id"]])
    before, since = await authors_count(session), await mark(session)
    body = await api(DELETE, {"id": author["id"]}, role=Role.EDITOR)
    assert body["data"]["deleteAuthor"] == {
        "deletedId": None,
        "userErrors": [
            {"field": ["id"], "message": "this author has bylines on articles; change those first", "code": "CONFLICT"}
        ],
    }
    assert await authors_count(session) == before
    assert await events_since(session, since) == []


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.AUTHOR, "FORBIDDEN")],
    ids=["anonymous", "preview", "author"],
)
async def test_only_editors_delete_authors(api, session, role, code):
    author = await factories.author(api)
    before = await authors_count(session)

    body = await api(DELETE, {"id": author["id"]}, role=role)

    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert await authors_count(session) == before
