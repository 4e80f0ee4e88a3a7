from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from cms.db import User
from cms.vocabulary import Role
from tests.graphql.audit.operations import Event, acting_with, events_since, mark, user_id
from tests.graphql.users.operations import LOGIN, PASSWORD, UPDATE_USER, VIEWER, make_user


async def test_admin_creates_user_and_they_log_in(api, session):
    created = await make_user(api, email="Editor@Example.com")
    assert created["userErrors"] == []
    assert created["user"]["email"] == "editor@example.com"
    hashed = await session.scalar(select(User.password_hash).where(User.email == "editor@example.com"))
    assert hashed.startswith("$argon2")
    assert PASSWORD not in hashed

    login = await api(LOGIN, {"email": "EDITOR@example.com", "password": PASSWORD})

    payload = login["data"]["login"]
    assert payload["userErrors"] == []
    assert payload["user"] == {"email": "editor@example.com", "role": "EDITOR"}
    me = await api(VIEWER, token=payload["token"])
    assert me["data"]["viewer"] == {
        "role": "EDITOR",
        "user": {"email": "editor@example.com", "name": "Ed", "author": None},
    }


async def test_a_hash_of_other_parameters_verifies_and_is_rehashed_on_sign_in(api, session, cheap_password_hashing):
    await make_user(api)
    costlier = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(PASSWORD)
    await session.execute(update(User).where(User.email == "editor@example.com").values(password_hash=costlier))
    await session.commit()

    login = await api(LOGIN, {"email": "editor@example.com", "password": PASSWORD})

    assert login["data"]["login"]["userErrors"] == []
    rehashed = await session.scalar(select(User.password_hash).where(User.email == "editor@example.com"))
    assert rehashed != costlier
    assert cheap_password_hashing.verify(rehashed, PASSWORD)
    assert not cheap_password_hashing.check_needs_rehash(rehashed)


@pytest.mark.parametrize(
    ("email", "password"),
    [("editor@example.com", "wrong password!!"), ("nobody@example.com", PASSWORD)],
    ids=["password", "email"],
)
async def test_wrong_login_says_the_same_either_way(api, email, password):
    await make_user(api)
    body = await api(LOGIN, {"email": email, "password": password})
    assert body["data"]["login"] == {
        "token": None,
        "user": None,
        "userErrors": [{"field": ["password"], "message": "the email or password is wrong", "code": "INVALID"}],
    }


async def test_a_disabled_user_cannot_sign_in(api):
    user = (await make_user(api))["user"]
    await api(UPDATE_USER, {"id": user["id"], "input": {"disabled": True}}, role=Role.ADMIN)

    body = await api(LOGIN, {"email": "editor@example.com", "password": PASSWORD})

    assert body["data"]["login"] == {
        "token": None,
        "user": None,
        "userErrors": [{"field": ["password"], "message": "the email or password is wrong", "code": "INVALID"}],
    }


async def test_a_sign_in_is_recorded_as_the_user_with_the_session_it_opened(api, session):
    await make_user(api)
    since = await mark(session)

    token = (await api(LOGIN, {"email": "Editor@example.com", "password": PASSWORD}))["data"]["login"]["token"]

    actor = await acting_with(session, token)
    assert actor[0] == await user_id(session, "editor@example.com")
    assert await events_since(session, since) == [
        Event("session.login", actor, ("ApiToken", actor[1]), detail={"address": "127.0.0.1"})
    ]


@pytest.mark.parametrize("known", [True, False], ids=["known-email", "unknown-email"])
async def test_a_failed_sign_in_is_recorded_with_the_email_tried(api, session, known):
    await make_user(api)
    email = "Editor@Example.com" if known else "nobody@example.com"
    since = await mark(session)

    await api(LOGIN, {"email": email, "password": "wrong password!!"})

    actor = (await user_id(session, "editor@example.com") if known else None, None)
    assert await events_since(session, since) == [
        Event("session.login_failed", actor, None, detail={"email": email, "address": "127.0.0.1"})
    ]
