from __future__ import annotations

import secrets
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

from cms.app import create_app
from cms.config import Settings
from cms.db.engine import make_engine, make_sessionmaker


async def get(app, path: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cms.test") as client:
        return await client.get(path)


async def test_health_and_readiness(client):
    assert (await client.get("/healthz")).text == "ok"
    ready = await client.get("/readyz")
    assert (ready.status_code, ready.text) == (200, "ready")


async def test_not_ready_while_unmigrated_or_unreachable(server_url):
    name = f"cms_ready_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    empty = make_engine(urlunsplit(urlsplit(server_url)._replace(path=f"/{name}")))
    gone = make_engine("postgresql://nobody@127.0.0.1:1/none")
    settings = Settings(database_url="postgresql://unused")
    try:
        unmigrated = await get(create_app(settings, sessionmaker=make_sessionmaker(empty), engine=empty), "/readyz")
        unreachable = await get(create_app(settings, sessionmaker=make_sessionmaker(gone), engine=gone), "/readyz")
        alive = await get(create_app(settings, sessionmaker=make_sessionmaker(gone), engine=gone), "/healthz")
    finally:
        await empty.dispose()
        await gone.dispose()
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()
    assert (unmigrated.status_code, unmigrated.text) == (503, "database not migrated: run `cms migrate`")
    assert (unreachable.status_code, unreachable.text) == (503, "database unreachable")
    assert alive.status_code == 200
