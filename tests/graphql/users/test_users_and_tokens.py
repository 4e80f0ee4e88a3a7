from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from cms.db import ApiToken, User
from cms.vocabulary import Role
from tests import factories

CREATE_USER = """
mutation($input: CreateUserInput!) {
  createUser(input: $input) { user { id email name role author { slug } } userErrors { field message code } }
}
"""
LOGIN = """
mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { token user { email role } userErrors { field message code } }
}
"""
CREATE_TOKEN = """
mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) {
    token apiToken { id name role expiresAt lastUsedAt } userErrors { field message code }
  }
}
"""
REVOKE = "mutation($id: ID!) { revokeApiToken(id: $id) { deletedId userErrors { field message code } } }"
VIEWER = "{ viewer { role user { email name author { slug } } } }"
PASSWORD = "correct horse battery"


async def make_user(api, email="editor@example.com", role="EDITOR", **extra):
    body = await api(
        CREATE_USER,
        {"input": {"email": email, "name": "Ed", "role": role, "password": PASSWORD, **extra}},
        role=Role.ADMIN,
    )
    return body["data"]["createUser"]


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


async def test_author_user_is_linked_to_a_byline(api):
    jane = await factories.author(api, "Jane Roe")
    created = await make_user(api, email="jane@example.com", role="AUTHOR", authorId=jane["id"])
    assert created["user"]["author"] == {"slug": "jane-roe"}


async def test_create_user_reports_every_problem(api, session):
    await make_user(api, email="taken@example.com")
    before = await session.scalar(select(func.count()).select_from(User))
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


async def test_api_token_is_shown_once_and_stored_as_hash(api, session):
    body = await api(CREATE_TOKEN, {"input": {"name": "web frontend", "role": "PREVIEW"}}, role=Role.ADMIN)
    payload = body["data"]["createApiToken"]
    secret = payload["token"]
    assert payload["apiToken"]["role"] == "PREVIEW"
    assert payload["apiToken"]["lastUsedAt"] is None
    stored = (await session.execute(select(ApiToken.secret_hash).where(ApiToken.name == "web frontend"))).scalar_one()
    assert secret.encode() not in stored

    me = await api(VIEWER, token=secret)

    assert me["data"]["viewer"] == {"role": "PREVIEW", "user": None}
    node = await api(
        "query($id: ID!) { node(id: $id) { ... on ApiToken { lastUsedAt } } }",
        {"id": payload["apiToken"]["id"]},
        role=Role.ADMIN,
    )
    assert node["data"]["node"]["lastUsedAt"] is not None


async def test_revoked_token_is_refused(api):
    created = (await api(CREATE_TOKEN, {"input": {"name": "temp", "role": "EDITOR"}}, role=Role.ADMIN))["data"][
        "createApiToken"
    ]

    revoked = await api(REVOKE, {"id": created["apiToken"]["id"]}, role=Role.ADMIN)
    again = await api(REVOKE, {"id": created["apiToken"]["id"]}, role=Role.ADMIN)

    assert revoked["data"]["revokeApiToken"] == {"deletedId": created["apiToken"]["id"], "userErrors": []}
    assert again["data"]["revokeApiToken"]["userErrors"] == [
        {"field": ["id"], "message": "no such token", "code": "NOT_FOUND"}
    ]
    response = await api.post(VIEWER, token=created["token"])
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_expired_token_is_refused(api, session):
    soon = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    created = (
        await api(CREATE_TOKEN, {"input": {"name": "short", "role": "EDITOR", "expiresAt": soon}}, role=Role.ADMIN)
    )["data"]["createApiToken"]
    await session.execute(ApiToken.__table__.update().values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    await session.commit()
    response = await api.post(VIEWER, token=created["token"])
    assert response.status_code == 401


async def test_token_expiry_must_be_in_the_future(api):
    body = await api(
        CREATE_TOKEN, {"input": {"name": "old", "role": "EDITOR", "expiresAt": "2020-01-01T00:00:00Z"}}, role=Role.ADMIN
    )
    assert body["data"]["createApiToken"]["userErrors"] == [
        {"field": ["input", "expiresAt"], "message": "expiresAt must lie in the future", "code": "INVALID"}
    ]


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.AUTHOR, "FORBIDDEN"), (Role.EDITOR, "FORBIDDEN")],
    ids=["anonymous", "preview", "author", "editor"],
)
async def test_only_admins_manage_users_and_tokens(api, session, role, code):
    users_before = await session.scalar(select(func.count()).select_from(User))
    tokens_before = await session.scalar(select(func.count()).select_from(ApiToken))
    for query, variables in (
        (CREATE_USER, {"input": {"email": "x@example.com", "name": "X", "role": "ADMIN", "password": PASSWORD}}),
        (CREATE_TOKEN, {"input": {"name": "x", "role": "ADMIN"}}),
        (REVOKE, {"id": "QXBpVG9rZW46MQ=="}),
    ):
        body = await api(query, variables, role=role)
        assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert await session.scalar(select(func.count()).select_from(User)) == users_before
    assert await session.scalar(select(func.count()).select_from(ApiToken)) == tokens_before


async def test_anonymous_viewer(api):
    assert (await api(VIEWER))["data"]["viewer"] == {"role": None, "user": None}


async def test_other_users_are_hidden_from_non_admins(api):
    created = await make_user(api)
    query = "query($id: ID!) { node(id: $id) { ... on User { name email } } }"
    assert (await api(query, {"id": created["user"]["id"]}, role=Role.EDITOR))["data"]["node"] is None
    assert (await api(query, {"id": created["user"]["id"]}, role=Role.ADMIN))["data"]["node"] == {
        "name": "Ed",
        "email": "editor@example.com",
    }
