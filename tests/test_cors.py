"""CORS: preflights answered for the configured origins, refused cleanly otherwise."""

from __future__ import annotations

import httpx
import pytest

from cms.app import create_app
from cms.config import Settings

FRONTEND = "https://www.example.com"
PREFLIGHT = {"Origin": FRONTEND, "Access-Control-Request-Method": "POST"}


@pytest.fixture
def connect(sessionmaker, engine):
    def make(origins: tuple[str, ...]) -> httpx.AsyncClient:
        settings = Settings(database_url="postgresql://unused", cors_origins=origins)
        app = create_app(settings, sessionmaker=sessionmaker, engine=engine)
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cms.test")

    return make


async def test_a_configured_origin_gets_its_preflight_answered(connect):
    async with connect((FRONTEND,)) as client:
        response = await client.options(
            "/graphql", headers={**PREFLIGHT, "Access-Control-Request-Headers": "authorization, content-type"}
        )
        call = await client.post("/graphql", json={"query": "{ viewer { role } }"}, headers={"Origin": FRONTEND})

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == FRONTEND
    assert set(response.headers["access-control-allow-methods"].split(", ")) >= {"GET", "POST"}
    assert "authorization" in response.headers["access-control-allow-headers"].lower()
    assert call.headers["access-control-allow-origin"] == FRONTEND
    assert "x-request-id" in call.headers["access-control-expose-headers"].lower()


@pytest.mark.parametrize(
    ("origins", "headers", "message"),
    [
        ((), PREFLIGHT, "cross-origin requests are not enabled: set CMS_CORS_ORIGINS to the frontends' origins"),
        (
            (FRONTEND,),
            {**PREFLIGHT, "Origin": "https://evil.example"},
            "this cross-origin request is not allowed (refused: origin)",
        ),
        (
            (FRONTEND,),
            {**PREFLIGHT, "Access-Control-Request-Method": "DELETE"},
            "this cross-origin request is not allowed (refused: method)",
        ),
    ],
    ids=["not-configured", "other-origin", "other-method"],
)
async def test_a_refused_preflight_is_a_coded_403(connect, origins, headers, message):
    async with connect(origins) as client:
        response = await client.options("/graphql", headers=headers)

    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers
    assert response.json() == {"errors": [{"message": message, "extensions": {"code": "FORBIDDEN"}}]}


async def test_a_plain_options_request_says_what_is_allowed(client):
    response = await client.options("/graphql")
    assert (response.status_code, response.headers["allow"]) == (204, "GET, POST, OPTIONS")


async def test_other_origins_get_no_cors_headers_on_calls(connect):
    async with connect((FRONTEND,)) as client:
        other = await client.post(
            "/graphql", json={"query": "{ viewer { role } }"}, headers={"Origin": "https://evil.example"}
        )
    assert "access-control-allow-origin" not in other.headers
