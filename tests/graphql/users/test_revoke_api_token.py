from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests.graphql.users.operations import CREATE_TOKEN, VIEWER

REVOKE = "mutation($id: ID!) { revokeApiToken(id: $id) { deletedId userErrors { field message code } } }"


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


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.AUTHOR, "FORBIDDEN"), (Role.EDITOR, "FORBIDDEN")],
    ids=["anonymous", "preview", "author", "editor"],
)
async def test_only_admins_revoke_tokens(api, role, code):
    # A real token: revoking one that does not exist would change nothing even if allowed.
    created = (await api(CREATE_TOKEN, {"input": {"name": "kept", "role": "EDITOR"}}, role=Role.ADMIN))["data"][
        "createApiToken"
    ]

    body = await api(REVOKE, {"id": created["apiToken"]["id"]}, role=role)

    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    # Revoking marks the row rather than deleting it, so a row count could not tell; use the token.
    assert (await api(VIEWER, token=created["token"]))["data"]["viewer"] == {"role": "EDITOR", "user": None}
