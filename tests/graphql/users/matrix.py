"""Who may run the account mutations (see tests/graphql/roles.py)."""

from __future__ import annotations

from typing import Any

from cms.vocabulary import Role
from tests.graphql.roles import ADMINS, EVERYONE, PAYLOAD, Cases, nothing, unique


async def a_token(api: Any) -> dict[str, Any]:
    body = await api(
        'mutation { createApiToken(input: {name: "t", role: PREVIEW}) { apiToken { id } } }', role=Role.ADMIN
    )
    return {"id": body["data"]["createApiToken"]["apiToken"]["id"]}


async def new_user(api: Any) -> dict[str, Any]:
    return {"email": f"u{unique()}@example.com"}


CASES: Cases = {
    "login": (
        f'mutation {{ login(email: "nobody@example.com", password: "not the password") {{ token {PAYLOAD} }} }}',
        nothing,
        EVERYONE,
    ),
    "createUser": (
        'mutation($email: String!) { createUser(input: {email: $email, name: "U", role: EDITOR, '
        f'password: "long enough password"}}) {{ {PAYLOAD} }} }}',
        new_user,
        ADMINS,
    ),
    "createApiToken": (
        f'mutation {{ createApiToken(input: {{name: "t", role: EDITOR}}) {{ token {PAYLOAD} }} }}',
        nothing,
        ADMINS,
    ),
    "revokeApiToken": (f"mutation($id: ID!) {{ revokeApiToken(id: $id) {{ {PAYLOAD} }} }}", a_token, ADMINS),
}
