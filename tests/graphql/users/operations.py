"""GraphQL documents and helpers the user and token tests share."""

from __future__ import annotations

from typing import Any

from cms.vocabulary import Role

CREATE_USER = """
mutation($input: CreateUserInput!) {
  createUser(input: $input) { user { id email name role author { slug } } userErrors { field message code } }
}
"""
CREATE_TOKEN = """
mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) {
    token apiToken { id name role expiresAt lastUsedAt } userErrors { field message code }
  }
}
"""
VIEWER = "{ viewer { role user { email name author { slug } } } }"
PASSWORD = "correct horse battery"


async def make_user(api: Any, email: str = "editor@example.com", role: str = "EDITOR", **extra: Any) -> dict[str, Any]:
    body = await api(
        CREATE_USER,
        {"input": {"email": email, "name": "Ed", "role": role, "password": PASSWORD, **extra}},
        role=Role.ADMIN,
    )
    payload: dict[str, Any] = body["data"]["createUser"]
    return payload


LOGIN = """
mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { token user { email role } userErrors { field message code } }
}
"""
UPDATE_USER = """
mutation($id: ID!, $input: UpdateUserInput!) {
  updateUser(id: $id, input: $input) {
    user { id name role disabled author { slug } } userErrors { field message code }
  }
}
"""
DELETE_USER = "mutation($id: ID!) { deleteUser(id: $id) { deletedId userErrors { field message code } } }"
REVOKE = "mutation($id: ID!) { revokeApiToken(id: $id) { deletedId userErrors { field message code } } }"
TOKENS = "{ viewer { tokens { edges { node { id name kind current } } } } }"


async def login(api: Any, email: str = "editor@example.com", password: str = PASSWORD) -> str:
    """A fresh sign-in session's secret."""
    payload = (await api(LOGIN, {"email": email, "password": password}))["data"]["login"]
    assert payload["userErrors"] == [], payload
    token: str = payload["token"]
    return token
