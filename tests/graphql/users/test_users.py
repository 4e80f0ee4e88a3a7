from __future__ import annotations

import pytest

from cms.db import Author, User
from cms.vocabulary import Role
from tests import factories
from tests.graphql.users.operations import UPDATE_USER, make_user

USERS = """
query($first: Int, $after: String) {
  users(first: $first, after: $after) {
    totalCount
    edges { node { email name role disabled author { slug } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def _sql(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))]


async def test_admins_page_through_every_user_by_email(api):
    jane = await factories.author(api, "Jane Roe")
    await make_user(api, email="carol@example.com", role="AUTHOR", authorId=jane["id"])
    bob = (await make_user(api, email="bob@example.com"))["user"]
    await make_user(api, email="dave@example.com", role="ADMIN")
    await api(UPDATE_USER, {"id": bob["id"], "input": {"disabled": True}}, role=Role.ADMIN)

    one = (await api(USERS, {"first": 2}, role=Role.ADMIN))["data"]["users"]
    two = (await api(USERS, {"first": 2, "after": one["pageInfo"]["endCursor"]}, role=Role.ADMIN))["data"]["users"]

    # The API fixture's AUTHOR is a user too: author@example.com.
    assert one["totalCount"] == 4
    assert [e["node"] for e in one["edges"] + two["edges"]] == [
        {"email": "author@example.com", "name": "An Author", "role": "AUTHOR", "disabled": False, "author": {"slug": "own-author"}},
        {"email": "bob@example.com", "name": "Ed", "role": "EDITOR", "disabled": True, "author": None},
        {"email": "carol@example.com", "name": "Ed", "role": "AUTHOR", "disabled": False, "author": {"slug": "jane-roe"}},
        {"email": "dave@example.com", "name": "Ed", "role": "ADMIN", "disabled": False, "author": None},
    ]  # fmt: skip
    assert one["pageInfo"]["hasNextPage"] is True
    assert two["pageInfo"]["hasNextPage"] is False


async def test_a_page_costs_the_same_statements_whatever_its_size(api, session, statements):
    # Straight into the table: hashing a password per user would only slow the test down.
    for i in range(6):
        author = Author(name=f"Writer {i}", slug=f"writer-{i}")
        session.add(author)
        await session.flush()
        session.add(
            User(email=f"writer{i}@example.com", name="W", role="AUTHOR", password_hash="x", author_id=author.id)
        )
    await session.commit()
    await api("{ viewer { role } }", role=Role.ADMIN)  # the token's first use also records lastUsedAt
    counts = []
    for size in (1, 7):
        statements.clear()
        body = await api(USERS, {"first": size}, role=Role.ADMIN)
        assert len(body["data"]["users"]["edges"]) == size
        counts.append(len(_sql(statements)))

    # the token, the page, its count, the bylines of the whole page at once
    assert counts == [4, 4], _sql(statements)


async def test_a_cursor_of_another_list_is_refused(api):
    body = await api(USERS, {"after": "bm90IGEgY3Vyc29y"}, role=Role.ADMIN)
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("after is not a cursor of this list", "INVALID")
    ]


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.AUTHOR, "FORBIDDEN"), (Role.EDITOR, "FORBIDDEN")],
    ids=["anonymous", "preview", "author", "editor"],
)
async def test_only_admins_list_users(api, role, code):
    body = await api(USERS, role=role)
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
