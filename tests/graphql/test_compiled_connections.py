"""A compiled read gives its pooled connection back only in a known state: one whose statement
was cancelled midway (a client gone, a server stopping) is closed, not handed to the next
request; one that merely got an error from the server is kept."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from asyncpg.exceptions import DivisionByZeroError

from cms.db.engine import make_engine, make_sessionmaker
from cms.db.faults import Fault, fault_of
from cms.graphql.compiled import CompiledReads, Statement
from cms.graphql.schema import make_schema

BACKEND = Statement("SELECT pg_backend_pid()::text", [])


@pytest.fixture
async def reads(database_url):
    engine = make_engine(database_url, pool_size=1, max_overflow=1)
    yield CompiledReads(
        make_schema()._schema, make_sessionmaker(engine), default_locale="en", max_cost=10_000, connections=1
    )
    await engine.dispose()


async def test_a_read_cancelled_midway_does_not_give_its_connection_back(reads):
    before = await reads.run(BACKEND)
    slow = asyncio.create_task(reads.run(Statement("SELECT pg_sleep(2)::text", [])))
    await asyncio.sleep(0.2)
    slow.cancel()
    with pytest.raises(asyncio.CancelledError):
        await slow

    after = await reads.run(BACKEND)

    assert after != before  # a new connection
    assert await reads.run(Statement("SELECT json_build_object('n', $1::int)::text", [1])) == b'{"n" : 1}'


async def test_an_error_the_server_reports_keeps_the_connection(reads):
    before = await reads.run(BACKEND)
    with pytest.raises(DivisionByZeroError):
        await reads.run(Statement("SELECT (1 / $1::int)::text", [0]))

    assert await reads.run(BACKEND) == before


async def test_a_connection_the_server_ended_is_replaced_and_the_read_answered(reads, database_url):
    before = await reads.run(BACKEND)
    admin = await asyncpg.connect(database_url)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1::int)", int(before))
    finally:
        await admin.close()
    await asyncio.sleep(0.2)  # the pooled connection has heard its end

    after = await reads.run(BACKEND)

    assert after != before


def test_a_connection_still_reading_its_end_is_a_fault_not_a_bug():
    busy = asyncpg.exceptions.InternalClientError("cannot switch to state 12; another operation (2) is in progress")
    assert fault_of(busy) is Fault.UNAVAILABLE
    assert fault_of(asyncpg.exceptions.InternalClientError("something else")) is None
