from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cms.db import Author
from cms.vocabulary import Role
from tests import factories

CREATE = """
mutation($input: CreateAuthorInput!) {
  createAuthor(input: $input) { author { id slug name bio avatar { id credit } } userErrors { field message code } }
}
"""
UPDATE = """
mutation($id: ID!, $input: UpdateAuthorInput!) {
  updateAuthor(id: $id, input: $input) { author { slug name bio avatar { id } } userErrors { field message code } }
}
"""
DELETE = "mutation($id: ID!) { deleteAuthor(id: $id) { deletedId userErrors { field message code } } }"


async def authors_count(session) -> int:
    return int(await session.scalar(select(func.count()).select_from(Author)))


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
    before = await authors_count(session)
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


async def test_delete_without_bylines(api, session):
    author = await factories.author(api)
    before = await authors_count(session)
    body = await api(DELETE, {"id": author["id"]}, role=Role.EDITOR)
    assert body["data"]["deleteAuthor"] == {"deletedId": author["id"], "userErrors": []}
    assert await authors_count(session) == before - 1


async def test_delete_with_bylines_is_conflict(api, session):
    author = await factories.author(api)
    await factories.create_article(api, authorIds=[author["id"]])
    before = await authors_count(session)
    body = await api(DELETE, {"id": author["id"]}, role=Role.EDITOR)
    assert body["data"]["deleteAuthor"] == {
        "deletedId": None,
        "userErrors": [
            {"field": ["id"], "message": "this author has bylines on articles; change those first", "code": "CONFLICT"}
        ],
    }
    assert await authors_count(session) == before


async def test_lookups_and_pages(api):
    for name in ("Carla", "alice", "Bob"):
        await factories.author(api, name)
    body = await api("{ authors(first: 2) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }")
    page = body["data"]["authors"]
    assert page["totalCount"] == 4  # with the API fixture's own author
    rest = await api(
        "query($after: String) { authors(first: 10, after: $after) { edges { node { name } } pageInfo { hasNextPage } } }",
        {"after": page["pageInfo"]["endCursor"]},
    )
    names = [e["node"]["name"] for e in page["edges"] + rest["data"]["authors"]["edges"]]
    assert names == ["Bob", "Carla", "Own Author", "alice"]
    assert rest["data"]["authors"]["pageInfo"]["hasNextPage"] is False
    by_slug = await api('{ author(slug: "bob") { name } }')
    assert by_slug["data"]["author"] == {"name": "Bob"}


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.AUTHOR, "FORBIDDEN")],
    ids=["anonymous", "preview", "author"],
)
async def test_only_editors_manage_authors(api, session, role, code):
    author = await factories.author(api)
    before = await authors_count(session)
    for query, variables in (
        (CREATE, {"input": {"name": "X"}}),
        (UPDATE, {"id": author["id"], "input": {"name": "Y"}}),
        (DELETE, {"id": author["id"]}),
    ):
        body = await api(query, variables, role=role)
        assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert await authors_count(session) == before


async def test_author_articles_page_through(api):
    author = await factories.author(api, "Prolific")
    for i in range(5):
        await factories.published_article(api, title=f"Piece {i}", authorIds=[author["id"]])
    query = """
    query($after: String) { author(slug: "prolific") { articles(first: 2, after: $after) {
        totalCount edges { node { slug } } pageInfo { hasNextPage endCursor } } } }
    """
    seen, after = [], None
    while True:
        page = (await api(query, {"after": after}))["data"]["author"]["articles"]
        assert page["totalCount"] == 5
        seen += [e["node"]["slug"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [f"piece-{i}" for i in reversed(range(5))]


async def test_author_articles_page_size_is_checked(api):
    await factories.author(api, "Prolific")
    body = await api('{ author(slug: "prolific") { articles(first: 101) { totalCount } } }')
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("first must be between 0 and 100", "INVALID")
    ]


async def test_update_with_null_name_is_invalid(api):
    author = await factories.author(api, "Named")
    body = await api(UPDATE, {"id": author["id"], "input": {"name": None}}, role=Role.EDITOR)
    assert body["data"]["updateAuthor"] == {
        "author": None,
        "userErrors": [{"field": ["input", "name"], "message": "name must not be empty", "code": "INVALID"}],
    }
