"""Faults that are nobody's mistake are answered 503 with Retry-After, coded, logged without a
traceback: the database away, no pooled connection free in time, a statement past its budget."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from cms.app import create_app
from cms.config import Settings
from cms.db.engine import make_engine, make_sessionmaker
from cms.db.faults import Fault, fault_of

NOWHERE = "postgresql://postgres@127.0.0.1:1/nowhere"  # nothing listens on port 1


async def test_a_statement_past_its_budget_is_a_timeout(database_url):
    engine = make_engine(database_url, statement_timeout_ms=50)
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(text("SHOW statement_timeout")) == "50ms"
            with pytest.raises(DBAPIError) as caught:
                await conn.execute(text("SELECT pg_sleep(1)"))
    finally:
        await engine.dispose()
    assert fault_of(caught.value) is Fault.TIMEOUT


async def test_no_connection_free_in_time_is_unavailable(database_url):
    engine = make_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=0.1)
    try:
        async with engine.connect():
            with pytest.raises(sa_exc.TimeoutError) as caught:
                async with engine.connect():
                    pass
    finally:
        await engine.dispose()
    assert fault_of(caught.value) is Fault.UNAVAILABLE


async def test_a_database_that_is_not_there_is_unavailable():
    engine = make_engine(NOWHERE)
    try:
        with pytest.raises(ConnectionRefusedError) as caught:
            async with engine.connect():
                pass
    finally:
        await engine.dispose()
    assert fault_of(caught.value) is Fault.UNAVAILABLE


def test_other_errors_are_not_faults():
    assert fault_of(ValueError("a bug")) is None
    assert fault_of(None) is None


@pytest.mark.parametrize("authorization", [None, "Bearer cms_not_a_real_token"])
async def test_requests_while_the_database_is_away_get_503_and_no_traceback(
    settings: Settings, media_storage, caplog, authorization
):
    engine: AsyncEngine = make_engine(NOWHERE)
    app = create_app(settings, sessionmaker=make_sessionmaker(engine), engine=engine, storage=media_storage)
    headers = {"Authorization": authorization} if authorization else {}
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://cms") as client:
            with caplog.at_level(logging.INFO):
                response = await asyncio.wait_for(
                    client.post("/graphql", json={"query": "{ articles { totalCount } }"}, headers=headers), 10
                )
    finally:
        await engine.dispose()

    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.headers["cache-control"] == "no-store"
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["SERVICE_UNAVAILABLE"]
    assert "127.0.0.1" not in response.text
    assert "Traceback" not in caplog.text
    assert not any(r.exc_info for r in caplog.records)
