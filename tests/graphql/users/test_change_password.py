from __future__ import annotations

import pytest
from sqlalchemy import select

from cms.db import ApiToken, User
from cms.vocabulary import Role
from tests.graphql.audit.operations import Event, acting_with, events_since, mark, user_id
from tests.graphql.users.operations import CREATE_TOKEN, LOGIN, PASSWORD, VIEWER, login, make_user

CHANGE = """
mutation($current: String!, $new: String!) {
  changePassword(currentPassword: $current, newPassword: $new) { user { email } userErrors { field message code } }
}
"""
NEW = "a brand new passphrase"


async def test_changing_the_password_ends_the_other_sessions_only(api):
    await make_user(api, role="ADMIN")
    current, other = await login(api), await login(api)
    machine = (await api(CREATE_TOKEN, {"input": {"name": "web", "role": "PREVIEW"}}, token=current))["data"][
        "createApiToken"
    ]

    body = await api(CHANGE, {"current": PASSWORD, "new": NEW}, token=current)

    assert body["data"]["changePassword"] == {"user": {"email": "editor@example.com"}, "userErrors": []}
    assert (await api(VIEWER, token=current))["data"]["viewer"]["role"] == "ADMIN"
    assert (await api.post(VIEWER, token=other)).status_code == 401
    assert (await api(VIEWER, token=machine["token"]))["data"]["viewer"]["role"] == "PREVIEW"
    old = await api(LOGIN, {"email": "editor@example.com", "password": PASSWORD})
    assert old["data"]["login"]["userErrors"][0]["message"] == "the email or password is wrong"
    assert await login(api, password=NEW)


async def test_every_problem_is_reported_and_nothing_changes(api, session):
    await make_user(api)
    token = await login(api)
    stored = select(User.password_hash).where(User.email == "editor@example.com")
    before, since = await session.scalar(stored), await mark(session)

    body = await api(CHANGE, {"current": "not my password", "new": "short"}, token=token)

    assert body["data"]["changePassword"] == {
        "user": None,
        "userErrors": [
            {"field": ["currentPassword"], "message": "the current password is wrong", "code": "INVALID"},
            {"field": ["newPassword"], "message": "a password has at least 12 characters", "code": "INVALID"},
        ],
    }
    assert await session.scalar(stored) == before
    assert await session.scalar(select(ApiToken.id).where(ApiToken.revoked_at.is_not(None))) is None
    assert await events_since(session, since) == []


async def test_the_new_password_must_differ(api):
    await make_user(api)
    token = await login(api)

    body = await api(CHANGE, {"current": PASSWORD, "new": PASSWORD}, token=token)

    assert body["data"]["changePassword"]["userErrors"] == [
        {"field": ["newPassword"], "message": "the new password must differ from the current one", "code": "INVALID"}
    ]


@pytest.mark.parametrize(
    ("role", "code", "message"),
    [
        (None, "UNAUTHENTICATED", "sign in or send a bearer token to do this"),
        (
            Role.ADMIN,
            "FORBIDDEN",
            "this is for signed-in users: an API token acts as a role alone and has no account",
        ),
    ],
    ids=["anonymous", "admin-api-token"],
)
async def test_only_users_with_an_account_change_a_password(api, role, code, message):
    body = await api(CHANGE, {"current": PASSWORD, "new": NEW}, role=role)

    assert body["data"] is None
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [(message, code)]


async def test_a_change_is_recorded_with_the_sessions_it_ended(api, session):
    await make_user(api)
    current = await login(api)
    await login(api)
    since = await mark(session)

    await api(CHANGE, {"current": PASSWORD, "new": NEW}, token=current)

    assert await events_since(session, since) == [
        Event(
            "user.password_change",
            await acting_with(session, current),
            ("User", await user_id(session, "editor@example.com")),
            detail={"sessionsEnded": 1},
        )
    ]
