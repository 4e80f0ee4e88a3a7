"""Repeated failed sign-ins are slowed, then refused for a while; counted in PostgreSQL so that
the count survives rolled-back operations and is shared by every server process."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from cms.app import create_app
from cms.config import Settings
from cms.db import Base, LoginThrottle
from cms.db.base import db_now
from cms.db.engine import make_sessionmaker
from cms.services.throttle import retry_message
from tests.conftest import Api
from tests.graphql.audit.operations import Event, events_since
from tests.graphql.users.operations import LOGIN, PASSWORD, make_user

WRONG = "not the password"


@pytest.fixture
def settings() -> Settings:
    # Slowing starts only where locking does, so that these tests never wait.
    return Settings(
        database_url="postgresql://unused",
        login_window_seconds=60,
        login_slow_after=3,
        login_lock_failures=3,
        login_lock_address_failures=5,
        login_lock_seconds=60,
    )


@asynccontextmanager
async def client_at(app, address: str) -> AsyncIterator[Api]:
    """An API client whose requests come from `address`."""
    transport = httpx.ASGITransport(app=app, client=(address, 4321))
    async with httpx.AsyncClient(transport=transport, base_url="http://cms.test") as client:
        yield Api(client, {})


async def _login(api, email: str, password: str = WRONG) -> dict:
    body = await api(LOGIN, {"email": email, "password": password})
    assert "errors" not in body, body
    payload: dict = body["data"]["login"]
    return payload


async def _row(session, key: str) -> LoginThrottle | None:
    stmt = select(LoginThrottle).where(LoginThrottle.key == key).execution_options(populate_existing=True)
    return (await session.scalars(stmt)).one_or_none()


def _refusal(row: LoginThrottle) -> dict:
    return {
        "token": None,
        "user": None,
        "userErrors": [{"field": None, "message": retry_message(row.locked_until), "code": "RATE_LIMITED"}],
    }


@pytest.mark.parametrize("email", ["editor@example.com", "nobody@example.com"], ids=["existing", "unknown"])
async def test_failures_lock_any_email_alike(api, session, email):
    await make_user(api)
    for _ in range(3):
        assert (await _login(api, email))["userErrors"][0]["code"] == "INVALID"

    refused = await _login(api, email, PASSWORD)

    row = await _row(session, f"account:{email}")
    assert refused == _refusal(row)
    assert row.failures == 3
    # Locked for login_lock_seconds from the failure that completed the count.
    assert timedelta(seconds=58) < row.locked_until - await session.scalar(select(db_now())) <= timedelta(seconds=60)


async def test_after_the_lock_the_right_password_works_and_resets_the_account_only(api, session):
    await make_user(api)
    for _ in range(3):
        await _login(api, "editor@example.com")
    assert (await _login(api, "Editor@Example.com", PASSWORD))["userErrors"][0]["code"] == "RATE_LIMITED"
    # The lock runs out.
    await session.execute(update(LoginThrottle).values(locked_until=LoginThrottle.locked_until - timedelta(seconds=61)))
    await session.commit()

    signed_in = await _login(api, "editor@example.com", PASSWORD)

    assert signed_in["userErrors"] == []
    assert signed_in["token"]
    assert await _row(session, "account:editor@example.com") is None
    assert (await _row(session, "address:127.0.0.1")).failures == 3


async def test_failures_from_one_address_lock_it_for_every_account(api, app, session):
    await make_user(api)
    async with client_at(app, "203.0.113.7") as attacker, client_at(app, "198.51.100.2") as colleague:
        for i in range(5):
            await _login(attacker, f"guess{i}@example.com")

        refused = await _login(attacker, "editor@example.com", PASSWORD)
        elsewhere = await _login(colleague, "editor@example.com", PASSWORD)

    assert refused == _refusal(await _row(session, "address:203.0.113.7"))
    assert elsewhere["userErrors"] == []


async def test_a_refused_sibling_field_does_not_undo_the_count(committed_api, engine):
    # createUser is refused for an anonymous caller, which rolls back the whole operation.
    document = """
    mutation($email: String!, $password: String!) {
      login(email: $email, password: $password) { userErrors { code } }
      createUser(input: {email: "x@example.com", name: "X", role: ADMIN, password: "long enough password"}) {
        userErrors { code }
      }
    }
    """
    for _ in range(3):
        body = await committed_api(document, {"email": "target@example.com", "password": WRONG})
        assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]

    refused = await committed_api(LOGIN, {"email": "target@example.com", "password": WRONG})

    async with make_sessionmaker(engine)() as session:
        row = await _row(session, "account:target@example.com")
        events = await events_since(session, 0)
    assert row.failures == 3
    assert refused["data"]["login"] == _refusal(row)
    # Each failure is recorded, although its operation was rolled back; the refusal is not.
    failure = Event(
        "session.login_failed", (None, None), None, detail={"email": "target@example.com", "address": "127.0.0.1"}
    )
    assert events == [
        failure,
        failure,
        Event("session.login_failed", (None, None), None, detail={**failure.detail, "locked": ["account"]}),
    ]


@pytest.fixture
async def two_servers(engine, settings) -> AsyncIterator[list[Api]]:
    """Two CMS processes, as far as the count can tell: each app has its own sessionmaker
    (its own connections) over the same committed database."""
    apps = [create_app(settings, sessionmaker=make_sessionmaker(engine), engine=engine) for _ in range(2)]
    try:
        async with client_at(apps[0], "127.0.0.1") as one, client_at(apps[1], "127.0.0.1") as two:
            yield [one, two]
    finally:
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        async with engine.begin() as conn:
            await conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


async def test_failures_on_two_servers_add_up(two_servers, engine):
    one, two = two_servers
    await _login(one, "shared@example.com")
    await _login(two, "shared@example.com")
    await _login(one, "shared@example.com")

    refused = [await _login(server, "shared@example.com") for server in (one, two)]

    async with make_sessionmaker(engine)() as session:
        row = await _row(session, "account:shared@example.com")
    assert row.failures == 3
    assert refused == [_refusal(row), _refusal(row)]


async def test_each_failure_and_each_lock_is_logged_without_the_password(api, caplog):
    caplog.set_level(logging.INFO, logger="cms.auth")
    for _ in range(4):
        await _login(api, "Someone@Example.com")

    lines = [r.getMessage() for r in caplog.records if r.name == "cms.auth"]
    assert lines == [
        "sign-in failed email='Someone@Example.com' address=127.0.0.1 account_failures=1 address_failures=1",
        "sign-in failed email='Someone@Example.com' address=127.0.0.1 account_failures=2 address_failures=2",
        "sign-in failed email='Someone@Example.com' address=127.0.0.1 account_failures=3 address_failures=3",
        lines[3],
    ]
    assert lines[3].startswith("sign-in locked key='account:someone@example.com' failures=3 until=")
    assert not any(WRONG in r.getMessage() or WRONG in str(r.args) for r in caplog.records)


async def test_attempts_after_slow_after_failures_are_answered_slowly(sessionmaker, engine):
    slow = Settings(database_url="postgresql://unused", login_slow_after=1, login_lock_failures=5)
    app = create_app(slow, sessionmaker=sessionmaker, engine=engine)
    async with client_at(app, "127.0.0.1") as api:
        await _login(api, "slow@example.com")
        started = time.perf_counter()
        await _login(api, "slow@example.com")
        elapsed = time.perf_counter() - started

    assert elapsed >= 0.25
