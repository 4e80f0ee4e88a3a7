from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from cms.db import ApiToken
from cms.vocabulary import Role
from tests.graphql.audit.operations import Event, as_role, events_since, subject
from tests.graphql.users.operations import CREATE_TOKEN, VIEWER


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


async def test_expired_token_is_refused(api, session):
    soon = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    created = (
        await api(CREATE_TOKEN, {"input": {"name": "short", "role": "EDITOR", "expiresAt": soon}}, role=Role.ADMIN)
    )["data"]["createApiToken"]
    await session.execute(ApiToken.__table__.update().values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    await session.commit()
    response = await api.post(VIEWER, token=created["token"])
    assert response.status_code == 401


async def test_token_expiry_must_be_in_the_future(api, session):
    body = await api(
        CREATE_TOKEN, {"input": {"name": "old", "role": "EDITOR", "expiresAt": "2020-01-01T00:00:00Z"}}, role=Role.ADMIN
    )
    assert body["data"]["createApiToken"]["userErrors"] == [
        {"field": ["input", "expiresAt"], "message": "expiresAt must lie in the future", "code": "INVALID"}
    ]
    assert await events_since(session, 0) == []


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.AUTHOR, "FORBIDDEN"), (Role.EDITOR, "FORBIDDEN")],
    ids=["anonymous", "preview", "author", "editor"],
)
async def test_only_admins_create_tokens(api, session, role, code):
    before = await session.scalar(select(func.count()).select_from(ApiToken))

    body = await api(CREATE_TOKEN, {"input": {"name": "x", "role": "ADMIN"}}, role=role)

    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert await session.scalar(select(func.count()).select_from(ApiToken)) == before


async def test_create_records_which_token_was_made_without_its_secret(api, session):
    body = await api(CREATE_TOKEN, {"input": {"name": "web frontend", "role": "PREVIEW"}}, role=Role.ADMIN)

    created = body["data"]["createApiToken"]["apiToken"]
    assert await events_since(session, 0) == [
        Event(
            "token.create",
            await as_role(session, Role.ADMIN),
            subject(created["id"]),
            detail={"name": "web frontend", "role": "PREVIEW"},
        )
    ]
