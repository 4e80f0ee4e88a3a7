from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from cms.db import ApiToken
from cms.vocabulary import Role
from tests.graphql.users.operations import CREATE_TOKEN, TOKENS, VIEWER, login, make_user


async def test_anonymous_viewer(api):
    assert (await api(VIEWER))["data"]["viewer"] == {"role": None, "user": None}


async def test_a_user_lists_their_live_tokens_newest_first(api, session):
    await make_user(api, email="me@example.com", role="ADMIN")
    await make_user(api, email="other@example.com")
    first = await login(api, "me@example.com")
    made = await api(CREATE_TOKEN, {"input": {"name": "web frontend", "role": "PREVIEW"}}, token=first)
    expired = await api(CREATE_TOKEN, {"input": {"name": "old", "role": "PREVIEW"}}, token=first)
    await session.execute(
        update(ApiToken).where(ApiToken.name == "old").values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    )
    await session.commit()
    revoked = await login(api, "me@example.com")
    await api("mutation { logout { deletedId } }", token=revoked)
    await login(api, "other@example.com")
    latest = await login(api, "me@example.com")

    body = await api(TOKENS, token=first)

    nodes = [e["node"] for e in body["data"]["viewer"]["tokens"]["edges"]]
    assert [(n["kind"], n["current"]) for n in nodes] == [("LOGIN", False), ("API", False), ("LOGIN", True)]
    assert nodes[1] == {
        "id": made["data"]["createApiToken"]["apiToken"]["id"],
        "name": "web frontend",
        "kind": "API",
        "current": False,
    }
    assert expired["data"]["createApiToken"]["apiToken"]["id"] not in [n["id"] for n in nodes]
    assert [e["node"]["current"] for e in (await api(TOKENS, token=latest))["data"]["viewer"]["tokens"]["edges"]] == [
        True,
        False,
        False,
    ]


async def test_tokens_come_in_pages(api):
    await make_user(api)
    tokens = [await login(api) for _ in range(3)]
    page = "query($after: String) { viewer { tokens(first: 2, after: $after) { edges { node { current } } pageInfo { hasNextPage endCursor } } } }"

    one = (await api(page, token=tokens[0]))["data"]["viewer"]["tokens"]
    two = (await api(page, {"after": one["pageInfo"]["endCursor"]}, token=tokens[0]))["data"]["viewer"]["tokens"]

    assert [e["node"]["current"] for e in one["edges"]] == [False, False]
    assert one["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["current"] for e in two["edges"]] == [True]
    assert two["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize(
    ("role", "code"), [(None, "UNAUTHENTICATED"), (Role.EDITOR, "FORBIDDEN")], ids=["anonymous", "editor-api-token"]
)
async def test_only_users_with_an_account_list_tokens(api, role, code):
    body = await api(TOKENS, role=role)

    assert body["data"] is None
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [(["viewer", "tokens"], code)]
