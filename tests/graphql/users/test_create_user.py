from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cms.db import User
from cms.vocabulary import Role
from tests import factories
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.users.operations import CREATE_USER, PASSWORD, make_user


async def test_author_user_is_linked_to_a_byline(api):
    jane = await factories.author(api, "Jane Roe")
    created = await make_user(api, email="jane@example.com", role="AUTHOR", authorId=jane["id"])
    assert created["user"]["author"] == {"slug": "jane-roe"}


async def test_create_user_reports_every_problem(api, session):
    await make_user(api, email="taken@example.com")
    before, since = await session.scalar(select(func.count()).select_from(User)), await mark(session)
    body = await api(
        CREATE_USER,
        {
            "input": {
                "email": "taken@example.com",
                "name": "",
                "role": "ADMIN",
                "password": "short",
                "authorId": "QXV0aG9yOjk5OTk=",
            }
        },
        role=Role.ADMIN,
    )
    assert body["data"]["createUser"]["userErrors"] == [
        {"field": ["input", "email"], "message": "a user with this email exists", "code": "ALREADY_EXISTS"},
        {"field": ["input", "name"], "message": "name must not be empty", "code": "INVALID"},
        {"field": ["input", "password"], "message": "a password has at least 12 characters", "code": "INVALID"},
        {"field": ["input", "authorId"], "message": "no such author", "code": "NOT_FOUND"},
    ]
    assert await session.scalar(select(func.count()).select_from(User)) == before
    assert await events_since(session, since) == []


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.AUTHOR, "FORBIDDEN"), (Role.EDITOR, "FORBIDDEN")],
    ids=["anonymous", "preview", "author", "editor"],
)
async def test_only_admins_create_users(api, session, role, code):
    before = await session.scalar(select(func.count()).select_from(User))

    body = await api(
        CREATE_USER,
        {"input": {"email": "x@example.com", "name": "X", "role": "ADMIN", "password": PASSWORD}},
        role=role,
    )

    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert await session.scalar(select(func.count()).select_from(User)) == before


async def test_create_records_who_made_which_user_and_never_the_password(api, session):
    created = await make_user(api, email="Editor@Example.com", role="EDITOR")

    assert await events_since(session, 0) == [
        Event(
            "user.create",
            await as_role(session, Role.ADMIN),
            subject(created["user"]["id"]),
            detail={"email": "editor@example.com", "name": "Ed", "role": "EDITOR"},
        )
    ]
