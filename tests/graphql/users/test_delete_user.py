from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cms.db import ApiToken, User
from cms.vocabulary import Role
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.users.operations import CREATE_TOKEN, DELETE_USER, VIEWER, login, make_user


async def _count(session, model) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)))


async def test_deleting_a_user_ends_their_sessions_but_not_the_tokens_they_made(api, session):
    await make_user(api, email="stays@example.com", role="ADMIN")
    user = (await make_user(api, email="gone@example.com", role="ADMIN"))["user"]
    token = await login(api, "gone@example.com")
    machine = (await api(CREATE_TOKEN, {"input": {"name": "web", "role": "PREVIEW"}}, token=token))["data"][
        "createApiToken"
    ]

    body = await api(DELETE_USER, {"id": user["id"]}, role=Role.ADMIN)

    assert body["data"]["deleteUser"] == {"deletedId": user["id"], "userErrors": []}
    assert await session.scalar(select(User.id).where(User.email == "gone@example.com")) is None
    assert (await api.post(VIEWER, token=token)).status_code == 401
    assert (await api(VIEWER, token=machine["token"]))["data"]["viewer"] == {"role": "PREVIEW", "user": None}


async def test_the_last_active_admin_cannot_be_deleted(api, session):
    admin = (await make_user(api, email="admin@example.com", role="ADMIN"))["user"]
    await make_user(api, email="editor@example.com", role="EDITOR")
    before, since = (await _count(session, User), await _count(session, ApiToken)), await mark(session)

    body = await api(DELETE_USER, {"id": admin["id"]}, role=Role.ADMIN)

    assert body["data"]["deleteUser"] == {
        "deletedId": None,
        "userErrors": [
            {
                "field": ["id"],
                "message": "this is the last active ADMIN and cannot be deleted; make another user ADMIN first",
                "code": "CONFLICT",
            }
        ],
    }
    assert (await _count(session, User), await _count(session, ApiToken)) == before
    assert await events_since(session, since) == []


async def test_an_admin_deletes_themselves_while_another_stays(api, session):
    me = (await make_user(api, email="me@example.com", role="ADMIN"))["user"]
    await make_user(api, email="other@example.com", role="ADMIN")
    token = await login(api, "me@example.com")
    since = await mark(session)

    body = await api(DELETE_USER, {"id": me["id"]}, token=token)

    assert body["data"]["deleteUser"]["userErrors"] == []
    assert (await api.post(VIEWER, token=token)).status_code == 401
    # Their account and the session they acted with are gone: the event stays, without an actor.
    assert await events_since(session, since) == [
        Event(
            "user.delete",
            (None, None),
            subject(me["id"]),
            detail={"email": "me@example.com", "name": "Ed", "role": "ADMIN"},
        )
    ]


@pytest.mark.parametrize(
    ("user_id", "message", "code"),
    [("VXNlcjo5OTk5", "no such user", "NOT_FOUND"), ("QXV0aG9yOjE=", "id: expected User, got Author", "INVALID")],
    ids=["missing", "wrong-type"],
)
async def test_the_user_must_exist(api, user_id, message, code):
    body = await api(DELETE_USER, {"id": user_id}, role=Role.ADMIN)
    assert body["data"]["deleteUser"] == {
        "deletedId": None,
        "userErrors": [{"field": ["id"], "message": message, "code": code}],
    }


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.AUTHOR, "FORBIDDEN"), (Role.EDITOR, "FORBIDDEN")],
    ids=["anonymous", "preview", "author", "editor"],
)
async def test_only_admins_delete_users(api, session, role, code):
    user = (await make_user(api))["user"]
    before = await _count(session, User)

    body = await api(DELETE_USER, {"id": user["id"]}, role=role)

    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert await _count(session, User) == before


async def test_delete_records_who_the_user_was(api, session):
    user = (await make_user(api, email="gone@example.com"))["user"]
    since = await mark(session)

    await api(DELETE_USER, {"id": user["id"]}, role=Role.ADMIN)

    assert await events_since(session, since) == [
        Event(
            "user.delete",
            await as_role(session, Role.ADMIN),
            subject(user["id"]),
            detail={"email": "gone@example.com", "name": "Ed", "role": "EDITOR"},
        )
    ]
