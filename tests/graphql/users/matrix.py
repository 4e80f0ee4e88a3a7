"""Who may run the account mutations (see tests/graphql/roles.py).

Of the fixture's tokens only the AUTHOR's belongs to a user (a sign-in session); the others act
as a role alone and have no account, so the mutations on one's own account let only the AUTHOR
through, and a user without ADMIN may revoke only their own tokens (anything else is NOT_FOUND,
an answer rather than a refusal)."""

from __future__ import annotations

from typing import Any

from cms.vocabulary import Role
from tests.graphql.roles import ADMINS, EVERYONE, PAYLOAD, Cases, nothing, unique
from tests.graphql.users.operations import make_user


async def a_token(api: Any) -> dict[str, Any]:
    body = await api(
        'mutation { createApiToken(input: {name: "t", role: PREVIEW}) { apiToken { id } } }', role=Role.ADMIN
    )
    return {"id": body["data"]["createApiToken"]["apiToken"]["id"]}


async def new_user(api: Any) -> dict[str, Any]:
    return {"email": f"u{unique()}@example.com"}


async def a_user(api: Any) -> dict[str, Any]:
    return {"id": (await make_user(api, email=f"u{unique()}@example.com"))["user"]["id"]}


WITH_AN_ACCOUNT: set[Role | None] = {Role.AUTHOR}

CASES: Cases = {
    # A fresh email each time: repeated failures for one account would be answered slowly.
    "login": (
        f'mutation($email: String!) {{ login(email: $email, password: "not the password") {{ token {PAYLOAD} }} }}',
        new_user,
        EVERYONE,
    ),
    "logout": (f"mutation {{ logout {{ {PAYLOAD} }} }}", nothing, WITH_AN_ACCOUNT),
    "changePassword": (
        f'mutation {{ changePassword(currentPassword: "x", newPassword: "long enough password") {{ {PAYLOAD} }} }}',
        nothing,
        WITH_AN_ACCOUNT,
    ),
    "createUser": (
        'mutation($email: String!) { createUser(input: {email: $email, name: "U", role: EDITOR, '
        f'password: "long enough password"}}) {{ {PAYLOAD} }} }}',
        new_user,
        ADMINS,
    ),
    "updateUser": (
        f'mutation($id: ID!) {{ updateUser(id: $id, input: {{name: "Renamed"}}) {{ {PAYLOAD} }} }}',
        a_user,
        ADMINS,
    ),
    "deleteUser": (f"mutation($id: ID!) {{ deleteUser(id: $id) {{ {PAYLOAD} }} }}", a_user, ADMINS),
    "createApiToken": (
        f'mutation {{ createApiToken(input: {{name: "t", role: EDITOR}}) {{ token {PAYLOAD} }} }}',
        nothing,
        ADMINS,
    ),
    "revokeApiToken": (
        f"mutation($id: ID!) {{ revokeApiToken(id: $id) {{ {PAYLOAD} }} }}",
        a_token,
        ADMINS | WITH_AN_ACCOUNT,
    ),
}
