"""What every HTTP request passes through: its id, its body limit, its log line."""

from __future__ import annotations

import httpx

from cms.app import create_app
from cms.config import Settings


async def chunks(total: int, size: int = 1000):
    for _ in range(total // size):
        yield b" " * size


async def test_a_chunked_body_over_the_limit_is_413(sessionmaker, engine):
    app = create_app(
        Settings(database_url="postgresql://unused", max_body_bytes=5_000), sessionmaker=sessionmaker, engine=engine
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cms.test") as client:
        # A streamed body declares no Content-Length: the limit holds while it is read.
        response = await client.post("/graphql", content=chunks(20_000), headers={"Content-Type": "application/json"})

    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_a_chunked_body_under_the_limit_runs(client):
    async def body():
        yield b'{"query": "{ viewer '
        yield b'{ role } }"}'

    response = await client.post("/graphql", content=body(), headers={"Content-Type": "application/json"})

    assert response.json() == {"data": {"viewer": {"role": None}}}


async def test_the_request_id_is_kept_when_well_formed(client):
    kept = await client.post("/graphql", json={"query": "{ viewer { role } }"}, headers={"X-Request-ID": "abc-123"})
    replaced = await client.post("/graphql", json={"query": "{ viewer { role } }"}, headers={"X-Request-ID": "bad id!"})
    assert kept.headers["x-request-id"] == "abc-123"
    assert len(replaced.headers["x-request-id"]) == 32
