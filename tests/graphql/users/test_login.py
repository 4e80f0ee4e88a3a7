from __future__ import annotations

import pytest
from sqlalchemy import select

from cms.db import User
from cms.vocabulary import Role
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
