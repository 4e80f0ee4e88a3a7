from __future__ import annotations

import pytest
from sqlalchemy import select

from cms.db import ApiToken
from cms.vocabulary import Role
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.users.operations import CREATE_TOKEN, REVOKE, TOKENS, VIEWER, login, make_user


async def _token_id(api, token: str) -> str:
    """The global ID of the token a request is made with, as its owner lists it."""
    edges = (await api(TOKENS, token=token))["data"]["viewer"]["tokens"]["edges"]
    return next(e["node"]["id"] for e in edges if e["node"]["current"])


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


async def test_a_user_revokes_their_own_session(api):
    await make_user(api)
    laptop, phone = await login(api), await login(api)
    phone_id = await _token_id(api, phone)

    body = await api(REVOKE, {"id": phone_id}, token=laptop)

    assert body["data"]["revokeApiToken"] == {"deletedId": phone_id, "userErrors": []}
    assert (await api.post(VIEWER, token=phone)).status_code == 401
    assert (await api(VIEWER, token=laptop))["data"]["viewer"]["role"] == "EDITOR"


async def test_someone_elses_token_is_not_found_and_stays(api, session):
    await make_user(api, email="ed@example.com")
    await make_user(api, email="other@example.com")
    ed, other = await login(api, "ed@example.com"), await login(api, "other@example.com")
    others_id = await _token_id(api, other)
    machine = (await api(CREATE_TOKEN, {"input": {"name": "web", "role": "PREVIEW"}}, role=Role.ADMIN))["data"][
        "createApiToken"
    ]
    since = await mark(session)

    for token_id in (others_id, machine["apiToken"]["id"]):
        body = await api(REVOKE, {"id": token_id}, token=ed)
        # The same answer as for a token that does not exist: nothing hints it does.
        assert body["data"]["revokeApiToken"] == {
            "deletedId": None,
            "userErrors": [{"field": ["id"], "message": "no such token", "code": "NOT_FOUND"}],
        }
    assert await session.scalar(select(ApiToken.id).where(ApiToken.revoked_at.is_not(None))) is None
    assert (await api(VIEWER, token=other))["data"]["viewer"]["role"] == "EDITOR"
    assert await events_since(session, since) == []


async def test_an_admin_revokes_anyones_session(api):
    await make_user(api)
    session_token = await login(api)
    session_id = await _token_id(api, session_token)

    body = await api(REVOKE, {"id": session_id}, role=Role.ADMIN)

    assert body["data"]["revokeApiToken"]["userErrors"] == []
    assert (await api.post(VIEWER, token=session_token)).status_code == 401


async def test_an_id_of_another_type_is_invalid(api):
    body = await api(REVOKE, {"id": "VXNlcjox"}, role=Role.ADMIN)  # User:1
    assert body["data"]["revokeApiToken"]["userErrors"] == [
        {"field": ["id"], "message": "id: expected ApiToken, got User", "code": "INVALID"}
    ]


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.EDITOR, "FORBIDDEN")],
    ids=["anonymous", "preview-api-token", "editor-api-token"],
)
async def test_without_an_account_only_admins_revoke_tokens(api, role, code):
    # A real token: revoking one that does not exist would change nothing even if allowed.
    created = (await api(CREATE_TOKEN, {"input": {"name": "kept", "role": "EDITOR"}}, role=Role.ADMIN))["data"][
        "createApiToken"
    ]

    body = await api(REVOKE, {"id": created["apiToken"]["id"]}, role=role)

    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    # Revoking marks the row rather than deleting it, so a row count could not tell; use the token.
    assert (await api(VIEWER, token=created["token"]))["data"]["viewer"] == {"role": "EDITOR", "user": None}


async def test_a_revocation_is_recorded(api, session):
    created = (await api(CREATE_TOKEN, {"input": {"name": "temp", "role": "EDITOR"}}, role=Role.ADMIN))["data"][
        "createApiToken"
    ]
    since = await mark(session)

    await api(REVOKE, {"id": created["apiToken"]["id"]}, role=Role.ADMIN)

    assert await events_since(session, since) == [
        Event(
            "token.revoke",
            await as_role(session, Role.ADMIN),
            subject(created["apiToken"]["id"]),
            detail={"name": "temp"},
        )
    ]
