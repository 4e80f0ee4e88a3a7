"""/graphql over WebSocket (graphql-transport-ws): the same authentication, transaction, limits
and masking as over HTTP."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select, update

from cms.db import ApiToken, Section
from cms.services import taxonomy
from cms.vocabulary import Role
from tests.asgi_ws import Closed, WebSocket, connect, operation

CREATE_SECTION = 'mutation { createSection(input: {name: "Over WS"}) { section { slug } userErrors { code } } }'


def ws(app, **headers: str) -> WebSocket:
    return WebSocket(app, subprotocols=["graphql-transport-ws"], headers=headers)


async def sections(session) -> int:
    return int(await session.scalar(select(func.count()).select_from(Section)))


async def test_queries_run_for_anonymous_callers(app, api):
    async with ws(app) as socket:
        assert socket.subprotocol == "graphql-transport-ws"
        assert await connect(socket) == {"type": "connection_ack", "payload": None}

        messages = await operation(socket, "1", "{ viewer { role } sections { slug } }")

    assert messages == [
        {"id": "1", "type": "next", "payload": {"data": {"viewer": {"role": None}, "sections": []}}},
        {"id": "1", "type": "complete"},
    ]


@pytest.mark.parametrize("shape", ["payload", "payload-headers", "handshake"])
async def test_the_token_authenticates_the_connection_and_mutations_commit(app, api, session, shape):
    authorization = f"Bearer {api.tokens[Role.EDITOR]}"
    payload = {
        "payload": {"Authorization": authorization},
        "payload-headers": {"headers": {"authorization": authorization}},
        "handshake": {},
    }[shape]
    headers = {"Authorization": authorization} if shape == "handshake" else {}

    async with ws(app, **headers) as socket:
        await connect(socket, payload)
        viewer = await operation(socket, "1", "{ viewer { role } }")
        created = await operation(socket, "2", CREATE_SECTION)

    assert viewer[0]["payload"] == {"data": {"viewer": {"role": "EDITOR"}}}
    assert created[0]["payload"] == {"data": {"createSection": {"section": {"slug": "over-ws"}, "userErrors": []}}}
    assert await sections(session) == 1


@pytest.mark.parametrize("authorization", ["Bearer cms_made_up", "Basic dXNlcjpwYXNz"], ids=["unknown", "malformed"])
async def test_bad_credentials_close_the_connection(app, api, authorization):
    async with ws(app) as socket:
        with pytest.raises(Closed) as closed:
            await connect(socket, {"Authorization": authorization})
    assert closed.value.code == 4403


async def test_refused_operations_write_nothing(app, api, session):
    async with ws(app) as socket:
        await connect(socket)
        messages = await operation(socket, "1", CREATE_SECTION)

    [result, complete] = messages
    assert result["payload"]["data"] is None
    assert [e["extensions"]["code"] for e in result["payload"]["errors"]] == ["UNAUTHENTICATED"]
    assert complete == {"id": "1", "type": "complete"}
    assert await sections(session) == 0


async def test_a_revoked_token_stops_working_on_an_open_connection(app, api, session):
    async with ws(app) as socket:
        await connect(socket, {"Authorization": f"Bearer {api.tokens[Role.EDITOR]}"})
        before = await operation(socket, "1", "{ viewer { role } }")
        await session.execute(update(ApiToken).where(ApiToken.name == "EDITOR").values(revoked_at=func.now()))
        await session.commit()
        after = await operation(socket, "2", "{ viewer { role } }")

    assert before[0]["payload"] == {"data": {"viewer": {"role": "EDITOR"}}}
    assert after[0]["payload"]["data"] is None
    assert [e["extensions"]["code"] for e in after[0]["payload"]["errors"]] == ["UNAUTHENTICATED"]


async def test_document_limits_apply(app, api):
    deep = "{ articles { edges { node { authors { articles { edges { node { authors { articles { edges { node { authors { articles { edges { node { id } } } } } } } } } } } } } } } }"
    async with ws(app) as socket:
        await connect(socket)
        [error] = await operation(socket, "1", deep)

    assert error["type"] == "error"
    assert "exceeds maximum operation depth" in error["payload"][0]["message"]
    assert error["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_unexpected_errors_are_masked_and_logged(app, api, monkeypatch, caplog):
    async def broken(session):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(taxonomy, "list_tags", broken)
    async with ws(app) as socket:
        await connect(socket)
        with caplog.at_level(logging.ERROR, logger="cms.graphql"):
            [result, _] = await operation(socket, "1", "{ tags { slug } }")

    [error] = result["payload"]["errors"]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["extensions"]["requestId"]
    assert "secret" not in str(result)
    assert any(error["extensions"]["requestId"] in r.getMessage() and r.exc_info for r in caplog.records)


async def test_each_operation_is_logged(app, api, caplog):
    async with ws(app) as socket:
        await connect(socket)
        with caplog.at_level(logging.INFO, logger="cms.request"):
            await operation(socket, "1", "query Home { sections { slug } }")
            await operation(socket, "2", "{ nope }")

    lines = [r.getMessage() for r in caplog.records if r.name == "cms.request"]
    assert [line.split(" duration_ms=")[0] for line in lines] == [
        "WS /graphql op=Home status=ok",
        "WS /graphql op=- status=error",
    ]


async def test_pages_on_other_origins_may_not_connect(app):
    with pytest.raises(Closed) as closed:
        async with ws(app, Origin="https://evil.example"):
            pass
    assert closed.value.code == 1008
