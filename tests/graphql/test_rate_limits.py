"""Requests past a caller's rate limit are answered 429 with Retry-After; reads and writes are
counted apart, anonymous callers by address, signed-in ones by token."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from cms.app import create_app
from cms.vocabulary import Role
from tests.asgi_ws import WebSocket, connect, operation

READ = {"query": "{ tags { slug } }"}
WRITE = {"query": 'mutation { recordArticleView(id: "QXJ0aWNsZTox") }'}


@pytest.fixture
def strict_app(settings, sessionmaker, engine, media_storage, views):
    strict = dataclasses.replace(
        settings,
        rate_limit_reads_anonymous=3,
        rate_limit_writes_anonymous=2,
        rate_limit_reads=5,
        rate_limit_writes=4,
    )
    return create_app(strict, sessionmaker=sessionmaker, engine=engine, storage=media_storage, views=views)


@pytest.fixture
async def limited(strict_app):
    transport = httpx.ASGITransport(app=strict_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cms.test") as client:
        yield client


async def test_anonymous_reads_past_the_limit_get_429(limited):
    answers = [await limited.post("/graphql", json=READ) for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["cache-control"] == "no-store"
    [error] = refused.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["message"].startswith("too many requests: at most 3 reads a minute")


async def test_writes_are_counted_apart_and_stricter(limited):
    writes = [await limited.post("/graphql", json=WRITE) for _ in range(3)]
    read = await limited.post("/graphql", json=READ)

    assert [w.status_code for w in writes] == [200, 200, 429]
    assert read.status_code == 200


async def test_a_token_has_its_own_larger_limit(limited, api):
    headers = {"Authorization": f"Bearer {api.tokens[Role.EDITOR]}"}
    for _ in range(3):
        await limited.post("/graphql", json=READ)

    signed_in = [await limited.post("/graphql", json=READ, headers=headers) for _ in range(6)]

    assert [a.status_code for a in signed_in] == [200] * 5 + [429]


async def test_answers_from_the_response_cache_count_too(limited):
    from cms.graphql.response_cache import ResponseCache

    endpoint = next(r for r in limited._transport.app.routes if getattr(r, "path", "") == "/graphql").app.app
    cache = ResponseCache()
    cache.listen(True)
    cache.next_change(None, cache.generation)
    endpoint.reads.cache = cache

    answers = [await limited.get("/graphql", params=READ) for _ in range(4)]

    assert [a.headers.get("x-cache") for a in answers[:3]] == ["MISS", "HIT", "HIT"]
    assert answers[3].status_code == 429


async def test_a_request_asking_for_its_cost_is_not_answered_from_the_cache(limited):
    from cms.graphql.response_cache import ResponseCache

    endpoint = next(r for r in limited._transport.app.routes if getattr(r, "path", "") == "/graphql").app.app
    cache = ResponseCache()
    cache.listen(True)
    cache.next_change(None, cache.generation)
    endpoint.reads.cache = cache
    await limited.get("/graphql", params=READ)

    asked = await limited.get("/graphql", params={**READ, "extensions": '{"cost": true}'})

    assert asked.headers["x-cache"] == "MISS"
    assert asked.json()["extensions"]["cost"]["estimated"] == 11


async def test_operations_over_a_websocket_are_counted_too(strict_app, api):
    async with WebSocket(strict_app, subprotocols=["graphql-transport-ws"]) as socket:
        await connect(socket)
        reads = [await operation(socket, str(i), READ["query"]) for i in range(4)]
        writes = [await operation(socket, f"w{i}", WRITE["query"]) for i in range(3)]

    assert [_code(r) for r in reads] == [None, None, None, "RATE_LIMITED"]
    [error] = reads[-1][0]["payload"]["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert 1 <= error["extensions"]["retryAfter"] <= 60
    assert error["message"].startswith("too many requests: at most 3 reads a minute")
    assert [_code(w) for w in writes] == [None, None, "RATE_LIMITED"]

    # A token's connection has the token's own limit.
    async with WebSocket(strict_app, subprotocols=["graphql-transport-ws"]) as socket:
        await connect(socket, {"Authorization": f"Bearer {api.tokens[Role.EDITOR]}"})
        signed_in = [await operation(socket, str(i), READ["query"]) for i in range(6)]
    assert [_code(r) for r in signed_in] == [None] * 5 + ["RATE_LIMITED"]


def _code(messages: list[dict]) -> str | None:
    """The code of an operation's first error over the WebSocket; None without one."""
    errors = messages[0]["payload"].get("errors") or [{}]
    return errors[0].get("extensions", {}).get("code")
