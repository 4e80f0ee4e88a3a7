"""The anonymous read path understands a request's bytes once: a reader's request seen before is
neither parsed nor keyed again, and still carries the cache's current generation."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from starlette.requests import Request

from cms.graphql import reads
from cms.graphql.persisted import PersistedQueries
from cms.graphql.reads import Reads
from cms.graphql.response_cache import ResponseCache
from cms.graphql.schema import make_schema

QUERY = "query($n: Int) { articles(first: $n) { edges { node { title } } } }"


def get(params: dict[str, Any], headers: dict[str, str] | None = None) -> Request:
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/graphql",
        "query_string": urlencode(params).encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
    }
    return Request(scope)


def post(body: dict[str, Any]) -> Request:
    sent = json.dumps(body).encode()

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": sent, "more_body": False}

    scope = {"type": "http", "method": "POST", "path": "/graphql", "headers": [(b"content-type", b"application/json")]}
    return Request(scope, receive)


@pytest.fixture
def parsed(monkeypatch) -> list[int]:
    """One entry per request whose bytes were parsed."""
    seen: list[int] = []
    real = reads._params

    def counting(raw: tuple[str, bytes]) -> Any:
        seen.append(1)
        return real(raw)

    monkeypatch.setattr(reads, "_params", counting)
    return seen


@pytest.fixture
def path(sessionmaker) -> Reads:
    return Reads(make_schema().documents, PersistedQueries(sessionmaker), ResponseCache())


async def test_a_request_seen_before_is_not_parsed_again(path, parsed):
    first = await path.prepare(get({"query": QUERY, "variables": '{"n": 5}'}))
    path.cache.invalidate()  # a change between the two
    second = await path.prepare(get({"query": QUERY, "variables": '{"n": 5}'}))

    assert first is not None
    assert second is not None
    assert len(parsed) == 1
    assert (second.key, second.variables, second.operation) == (first.key, {"n": 5}, first.operation)
    assert (first.generation, second.generation) == (0, 1)


async def test_other_variables_are_another_read(path, parsed):
    five = await path.prepare(get({"query": QUERY, "variables": '{"n": 5}'}))
    six = await path.prepare(get({"query": QUERY, "variables": '{"n": 6}'}))
    again = await path.prepare(post({"query": QUERY, "variables": {"n": 6}}))
    posted = await path.prepare(post({"query": QUERY, "variables": {"n": 6}}))

    assert None not in (five, six, again, posted)
    assert five.key != six.key
    assert again.key == posted.key == six.key  # the same read, however it came
    assert len(parsed) == 3  # the second POST's body was seen before


async def test_what_the_path_does_not_take_is_never_kept(path, parsed):
    for _ in range(2):
        assert await path.prepare(get({"query": QUERY}, {"Authorization": "Bearer x"})) is None
        assert await path.prepare(get({"query": "mutation { logout }"})) is None
        assert await path.prepare(get({"query": "{ articles(first: "})) is None

    assert len(parsed) == 4  # the two without a token, each time


async def test_only_the_requests_seen_last_are_kept(path, parsed, monkeypatch):
    monkeypatch.setattr(reads, "_KNOWN_REQUESTS", 2)
    for n in (1, 2, 3, 1):
        assert await path.prepare(get({"query": QUERY, "variables": json.dumps({"n": n})})) is not None

    assert len(parsed) == 4  # n=1 was dropped for n=3, and parsed again
