from __future__ import annotations

import pytest
from sqlalchemy import select

from cms.db import User
from cms.vocabulary import Role
from tests import factories
from tests.asgi_ws import WebSocket, connect, operation
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.users.operations import LOGIN, PASSWORD, UPDATE_USER, VIEWER, login, make_user

LAST_ADMIN = "this is the last active ADMIN and cannot be {}; make another user ADMIN first"


async def _rows(session):
    return [
        (u.email, u.name, u.role, u.disabled_at is None, u.author_id)
        for u in await session.scalars(select(User).order_by(User.id).execution_options(populate_existing=True))
    ]


async def test_admin_changes_name_role_and_byline(api):
    jane = await factories.author(api, "Jane Roe")
    user = (await make_user(api))["user"]

    body = await api(
        UPDATE_USER,
        {"id": user["id"], "input": {"name": "Edith", "role": "AUTHOR", "authorId": jane["id"]}},
        role=Role.ADMIN,
    )

    assert body["data"]["updateUser"] == {
        "user": {
            "id": user["id"],
            "name": "Edith",
            "role": "AUTHOR",
            "disabled": False,
            "author": {"slug": "jane-roe"},
        },
        "userErrors": [],
    }
    unlinked = await api(UPDATE_USER, {"id": user["id"], "input": {"authorId": None}}, role=Role.ADMIN)
    assert unlinked["data"]["updateUser"]["user"]["author"] is None
    assert unlinked["data"]["updateUser"]["user"]["name"] == "Edith"


async def test_a_sessions_role_follows_the_user(api):
    user = (await make_user(api))["user"]
    token = await login(api)

    await api(UPDATE_USER, {"id": user["id"], "input": {"role": "PREVIEW"}}, role=Role.ADMIN)

    assert (await api(VIEWER, token=token))["data"]["viewer"]["role"] == "PREVIEW"


async def test_a_disabled_user_is_refused_at_once_and_let_in_again_when_enabled(api):
    user = (await make_user(api))["user"]
    token = await login(api)

    disabled = await api(UPDATE_USER, {"id": user["id"], "input": {"disabled": True}}, role=Role.ADMIN)

    assert disabled["data"]["updateUser"]["user"]["disabled"] is True
    response = await api.post(VIEWER, token=token)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    refused = await api(LOGIN, {"email": "editor@example.com", "password": PASSWORD})
    # The same answer as a wrong password: nothing confirms the password of a disabled account.
    assert refused["data"]["login"]["userErrors"] == [
        {"field": ["password"], "message": "the email or password is wrong", "code": "INVALID"}
    ]

    enabled = await api(UPDATE_USER, {"id": user["id"], "input": {"disabled": False}}, role=Role.ADMIN)

    assert enabled["data"]["updateUser"]["user"]["disabled"] is False
    assert (await api(VIEWER, token=token))["data"]["viewer"]["role"] == "EDITOR"
    assert await login(api)


async def test_update_user_reports_every_problem(api, session):
    user = (await make_user(api))["user"]
    before = await _rows(session)

    body = await api(
        UPDATE_USER,
        {"id": user["id"], "input": {"name": "", "role": None, "disabled": None, "authorId": "QXV0aG9yOjk5OTk="}},
        role=Role.ADMIN,
    )

    assert body["data"]["updateUser"] == {
        "user": None,
        "userErrors": [
            {"field": ["input", "name"], "message": "name must not be empty", "code": "INVALID"},
            {"field": ["input", "role"], "message": "role must not be null", "code": "INVALID"},
            {"field": ["input", "disabled"], "message": "disabled must not be null", "code": "INVALID"},
            {"field": ["input", "authorId"], "message": "no such author", "code": "NOT_FOUND"},
        ],
    }
    assert await _rows(session) == before


async def test_an_author_id_of_another_type_is_reported_with_the_rest(api):
    user = (await make_user(api))["user"]

    body = await api(UPDATE_USER, {"id": user["id"], "input": {"name": "", "authorId": user["id"]}}, role=Role.ADMIN)

    assert body["data"]["updateUser"]["userErrors"] == [
        {"field": ["input", "authorId"], "message": "authorId: expected Author, got User", "code": "INVALID"},
        {"field": ["input", "name"], "message": "name must not be empty", "code": "INVALID"},
    ]


@pytest.mark.parametrize(
    ("user_id", "message", "code"),
    [("VXNlcjo5OTk5", "no such user", "NOT_FOUND"), ("QXV0aG9yOjE=", "id: expected User, got Author", "INVALID")],
    ids=["missing", "wrong-type"],
)
async def test_the_user_must_exist(api, user_id, message, code):
    body = await api(UPDATE_USER, {"id": user_id, "input": {"name": "X"}}, role=Role.ADMIN)
    assert body["data"]["updateUser"]["userErrors"] == [{"field": ["id"], "message": message, "code": code}]


@pytest.mark.parametrize(
    ("change", "field", "word"),
    [({"role": "EDITOR"}, "role", "demoted"), ({"disabled": True}, "disabled", "disabled")],
    ids=["demote", "disable"],
)
async def test_the_last_active_admin_is_kept(api, session, change, field, word):
    admin = (await make_user(api, email="admin@example.com", role="ADMIN"))["user"]
    other = (await make_user(api, email="other@example.com", role="ADMIN"))["user"]
    # A disabled ADMIN does not count.
    await api(UPDATE_USER, {"id": other["id"], "input": {"disabled": True}}, role=Role.ADMIN)
    before, since = await _rows(session), await mark(session)

    body = await api(UPDATE_USER, {"id": admin["id"], "input": {"name": "Still Here", **change}}, role=Role.ADMIN)

    assert body["data"]["updateUser"] == {
        "user": None,
        "userErrors": [{"field": ["input", field], "message": LAST_ADMIN.format(word), "code": "CONFLICT"}],
    }
    assert await _rows(session) == before
    assert await events_since(session, since) == []


async def test_an_admin_may_be_demoted_while_another_stays(api):
    first = (await make_user(api, email="first@example.com", role="ADMIN"))["user"]
    await make_user(api, email="second@example.com", role="ADMIN")

    body = await api(UPDATE_USER, {"id": first["id"], "input": {"role": "EDITOR", "disabled": True}}, role=Role.ADMIN)

    assert body["data"]["updateUser"]["userErrors"] == []
    assert body["data"]["updateUser"]["user"]["role"] == "EDITOR"


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.AUTHOR, "FORBIDDEN"), (Role.EDITOR, "FORBIDDEN")],
    ids=["anonymous", "preview", "author", "editor"],
)
async def test_only_admins_update_users(api, session, role, code):
    user = (await make_user(api))["user"]
    before = await _rows(session)

    body = await api(UPDATE_USER, {"id": user["id"], "input": {"role": "ADMIN"}}, role=role)

    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert body["data"] is None
    assert await _rows(session) == before


async def test_disabling_a_user_ends_their_open_websocket_operations_too(app, api):
    user = (await make_user(api))["user"]
    token = await login(api)
    async with WebSocket(app, subprotocols=["graphql-transport-ws"], headers={}) as socket:
        await connect(socket, {"Authorization": f"Bearer {token}"})
        before = await operation(socket, "1", "{ viewer { role } }")
        await api(UPDATE_USER, {"id": user["id"], "input": {"disabled": True}}, role=Role.ADMIN)
        after = await operation(socket, "2", "{ viewer { role } }")

    assert before[0]["payload"] == {"data": {"viewer": {"role": "EDITOR"}}}
    assert after[0]["payload"]["data"] is None
    assert [e["extensions"]["code"] for e in after[0]["payload"]["errors"]] == ["UNAUTHENTICATED"]


async def test_update_records_the_fields_it_changed_with_the_new_role_and_state(api, session):
    jane = await factories.author(api, "Jane Roe")
    user = (await make_user(api))["user"]
    since = await mark(session)

    # The name is given as it is: not a change.
    await api(
        UPDATE_USER,
        {"id": user["id"], "input": {"name": "Ed", "role": "AUTHOR", "disabled": True, "authorId": jane["id"]}},
        role=Role.ADMIN,
    )

    assert await events_since(session, since) == [
        Event(
            "user.update",
            await as_role(session, Role.ADMIN),
            subject(user["id"]),
            ["authorId", "disabled", "role"],
            {"role": "AUTHOR", "disabled": True},
        )
    ]
