from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests.graphql.audit.operations import Event, acting_with, events_since, mark
from tests.graphql.users.operations import CREATE_TOKEN, TOKENS, VIEWER, login, make_user

LOGOUT = "mutation { logout { deletedId userErrors { field message code } } }"


async def test_logout_ends_this_session_only(api):
    await make_user(api)
    this, other = await login(api), await login(api)
    this_id = next(
        e["node"]["id"]
        for e in (await api(TOKENS, token=this))["data"]["viewer"]["tokens"]["edges"]
        if e["node"]["current"]
    )

    body = await api(LOGOUT, token=this)

    assert body["data"]["logout"] == {"deletedId": this_id, "userErrors": []}
    response = await api.post(VIEWER, token=this)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await api(VIEWER, token=other))["data"]["viewer"]["role"] == "EDITOR"


async def test_an_api_token_is_refused_and_keeps_working(api):
    created = (await api(CREATE_TOKEN, {"input": {"name": "frontend", "role": "PREVIEW"}}, role=Role.ADMIN))["data"][
        "createApiToken"
    ]

    body = await api(LOGOUT, token=created["token"])

    assert body["data"] is None
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("this is for signed-in users: an API token acts as a role alone and has no account", "FORBIDDEN")
    ]
    assert (await api(VIEWER, token=created["token"]))["data"]["viewer"]["role"] == "PREVIEW"


@pytest.mark.parametrize(
    ("role", "code"), [(None, "UNAUTHENTICATED"), (Role.ADMIN, "FORBIDDEN")], ids=["anonymous", "admin-api-token"]
)
async def test_only_sessions_log_out(api, role, code):
    body = await api(LOGOUT, role=role)

    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    if role is not None:
        assert (await api(VIEWER, role=role))["data"]["viewer"]["role"] == role.value


async def test_logout_is_recorded_as_itself_not_as_a_revocation(api, session):
    await make_user(api)
    token = await login(api)
    actor = await acting_with(session, token)
    since = await mark(session)

    await api(LOGOUT, token=token)

    assert await events_since(session, since) == [Event("session.logout", actor, ("ApiToken", actor[1]))]
