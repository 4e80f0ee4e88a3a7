"""/graphql with the GraphQL multipart request (uploads): the same lifecycle as JSON, a CSRF rule
of its own and a body limit of its own."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import func, select

from cms.app import create_app
from cms.config import Settings
from cms.db import Section
from cms.vocabulary import Role

PREFLIGHT = {"Apollo-Require-Preflight": "true"}
CREATE_SECTION = 'mutation { createSection(input: {name: "Multipart"}) { section { slug } } }'


def form(query: str, files_map: dict[str, list[str]] | None = None) -> dict[str, str]:
    return {"operations": json.dumps({"query": query, "variables": {}}), "map": json.dumps(files_map or {})}


async def sections(session) -> int:
    return int(await session.scalar(select(func.count()).select_from(Section)))


async def test_runs_as_the_caller_in_one_transaction(client, api, session):
    headers = {**PREFLIGHT, "Authorization": f"Bearer {api.tokens[Role.EDITOR]}"}

    response = await client.post("/graphql", data=form(CREATE_SECTION), files={"unused": b""}, headers=headers)

    assert response.status_code == 200
    assert response.json() == {"data": {"createSection": {"section": {"slug": "multipart"}}}}
    assert await sections(session) == 1


@pytest.mark.parametrize("header", ["Apollo-Require-Preflight", "X-Apollo-Operation-Name", "GraphQL-Require-Preflight"])
async def test_any_preflight_header_will_do(client, header):
    response = await client.post(
        "/graphql", data=form("{ viewer { role } }"), files={"unused": b""}, headers={header: "x"}
    )
    assert response.json() == {"data": {"viewer": {"role": None}}}


async def test_without_a_preflight_header_nothing_runs(client, api, session):
    headers = {"Authorization": f"Bearer {api.tokens[Role.EDITOR]}"}

    response = await client.post("/graphql", data=form(CREATE_SECTION), files={"unused": b""}, headers=headers)

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "Apollo-Require-Preflight" in response.json()["errors"][0]["message"]
    assert await sections(session) == 0


async def test_a_mapped_file_that_is_missing_is_a_bad_request(client):
    response = await client.post(
        "/graphql",
        data=form("query($f: Upload) { viewer { role } }", {"0": ["variables.f"]}),
        files={"other": b"x"},
        headers=PREFLIGHT,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_multipart_bodies_have_a_limit_of_their_own(sessionmaker, engine):
    settings = Settings(database_url="postgresql://unused", max_body_bytes=2_000, max_upload_bytes=20_000)
    app = create_app(settings, sessionmaker=sessionmaker, engine=engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cms.test") as client:
        small_upload = await client.post(
            "/graphql", data=form("{ viewer { role } }"), files={"unused": b"x" * 10_000}, headers=PREFLIGHT
        )
        big_upload = await client.post(
            "/graphql", data=form("{ viewer { role } }"), files={"unused": b"x" * 30_000}, headers=PREFLIGHT
        )
        json_body = await client.post("/graphql", json={"query": "{ viewer { role } }", "pad": "x" * 10_000})

    assert small_upload.status_code == 200
    assert (big_upload.status_code, big_upload.json()["errors"][0]["extensions"]["code"]) == (413, "PAYLOAD_TOO_LARGE")
    assert json_body.status_code == 413
