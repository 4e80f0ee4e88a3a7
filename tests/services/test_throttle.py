"""Sign-in throttling, counted in PostgreSQL: slowing, locking, windows, and concurrent attempts."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, insert, select, update

from cms.db import AuditEvent, LoginThrottle, User
from cms.db.engine import make_sessionmaker
from cms.services.throttle import MAX_DELAY, PRUNE, Attempt, Limits, RateLimited, retry_message
from tests.graphql.audit.operations import Event, events_since, mark

LIMITS = Limits(
    window_seconds=60, slow_after=100, lock_failures=3, lock_address_failures=5, lock_seconds=60, slow_step=0.01
)


def _email() -> str:
    return f"someone{secrets.token_hex(4)}@example.com"


async def _row(session, key: str) -> LoginThrottle | None:
    return (
        await session.scalars(
            select(LoginThrottle).where(LoginThrottle.key == key).execution_options(populate_existing=True)
        )
    ).one_or_none()


async def _fail(sessionmaker, email: str, address: str | None = "10.0.0.1", limits: Limits = LIMITS) -> None:
    attempt = Attempt(sessionmaker, limits, email=email, address=address)
    await attempt.admit()
    await attempt.failed()


def test_attempts_are_slowed_after_slow_after_failures_doubling_up_to_a_cap():
    limits = Limits(window_seconds=60, slow_after=2, lock_failures=99, lock_address_failures=99, lock_seconds=60)
    assert [limits.delay(n) for n in range(6)] == [0.0, 0.0, 0.25, 0.5, 1.0, 2.0]
    assert limits.delay(40) == MAX_DELAY


async def test_the_slowed_attempt_waits_before_its_password_is_checked(sessionmaker):
    limits = Limits(window_seconds=60, slow_after=2, lock_failures=99, lock_address_failures=99, lock_seconds=60)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    email = _email()
    for _ in range(4):
        attempt = Attempt(sessionmaker, limits, email=email, address="10.0.0.1", sleep=sleep)
        await attempt.admit()
        await attempt.failed()

    assert waits == [0.25, 0.5]


async def test_failures_lock_the_account_and_a_locked_key_is_not_counted_further(sessionmaker, session):
    email = _email()
    for _ in range(3):
        await _fail(sessionmaker, email)

    with pytest.raises(RateLimited) as refused:
        await Attempt(sessionmaker, LIMITS, email=email.upper(), address="10.0.0.2").admit()

    row = await _row(session, f"account:{email}")
    assert row.failures == 3
    assert refused.value.until == row.locked_until
    assert [(p.field, p.message, p.code) for p in refused.value.problems] == [
        (None, retry_message(row.locked_until), "RATE_LIMITED")
    ]
    assert timedelta(seconds=59) < row.locked_until - row.window_started_at <= timedelta(seconds=61)
    # The refused attempt was not counted against the other address either.
    assert await _row(session, "address:10.0.0.2") is None


def test_the_retry_time_is_rounded_up_to_the_second():
    assert retry_message(datetime(2030, 5, 1, 12, 0, 7, 1, tzinfo=UTC)) == (
        "too many failed sign-ins; try again after 2030-05-01T12:00:08Z"
    )


async def test_many_accounts_from_one_address_lock_the_address(sessionmaker, session):
    for _ in range(5):
        await _fail(sessionmaker, _email(), address="10.0.0.3")

    with pytest.raises(RateLimited):
        await Attempt(sessionmaker, LIMITS, email=_email(), address="10.0.0.3").admit()

    assert (await _row(session, "address:10.0.0.3")).failures == 5
    await Attempt(sessionmaker, LIMITS, email=_email(), address="10.0.0.4").admit()


async def test_a_new_window_starts_when_the_last_one_ran_out(sessionmaker, session):
    email = _email()
    await _fail(sessionmaker, email)
    await _fail(sessionmaker, email)
    await session.execute(
        update(LoginThrottle).values(window_started_at=LoginThrottle.window_started_at - timedelta(seconds=61))
    )
    await session.commit()

    await _fail(sessionmaker, email)

    assert (await _row(session, f"account:{email}")).failures == 1


async def test_a_lifted_lock_starts_a_fresh_count(sessionmaker, session):
    email = _email()
    for _ in range(3):
        await _fail(sessionmaker, email)
    await session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == f"account:{email}")
        .values(locked_until=LoginThrottle.locked_until - timedelta(seconds=61))
    )
    await session.commit()

    await _fail(sessionmaker, email)

    row = await _row(session, f"account:{email}")
    assert (row.failures, row.locked_until) == (1, None)


async def test_success_resets_the_account_and_keeps_the_address_failures(sessionmaker, session):
    email = _email()
    await _fail(sessionmaker, email, address="10.0.0.5")
    await _fail(sessionmaker, email, address="10.0.0.5")

    attempt = Attempt(sessionmaker, LIMITS, email=email, address="10.0.0.5")
    await attempt.admit()
    await attempt.succeeded()

    assert await _row(session, f"account:{email}") is None
    assert (await _row(session, "address:10.0.0.5")).failures == 2


async def test_without_an_address_only_the_account_counts(sessionmaker, session):
    email = _email()
    await _fail(sessionmaker, email, address=None)
    assert (await _row(session, f"account:{email}")).failures == 1
    assert await session.scalar(select(LoginThrottle.key).where(LoginThrottle.key.like("address:%"))) is None


async def test_concurrent_attempts_cannot_outrun_the_lock(engine):
    """Twelve guesses at once, each on its own connection: only as many as the limit get a
    password check, because each is counted before its password is."""
    email = _email()
    makers = make_sessionmaker(engine)

    async def guess() -> bool:
        attempt = Attempt(makers, LIMITS, email=email, address=None)
        try:
            await attempt.admit()
        except RateLimited:
            return False
        await asyncio.sleep(0.05)  # the password check, while the others arrive
        await attempt.failed()
        return True

    try:
        admitted = await asyncio.gather(*(guess() for _ in range(12)))
        async with makers() as session:
            row = await _row(session, f"account:{email}")
    finally:
        async with makers() as session, session.begin():
            await session.execute(delete(LoginThrottle).where(LoginThrottle.key == f"account:{email}"))
            await session.execute(delete(AuditEvent).where(AuditEvent.detail["email"].astext == email))

    assert sum(admitted) == 3
    assert row.locked_until is not None


async def test_a_lock_lifts_by_itself(sessionmaker):
    limits = Limits(window_seconds=60, slow_after=100, lock_failures=1, lock_address_failures=99, lock_seconds=1)
    email = _email()
    await _fail(sessionmaker, email, limits=limits)
    with pytest.raises(RateLimited):
        await Attempt(sessionmaker, limits, email=email, address=None).admit()

    await asyncio.sleep(1.1)

    await Attempt(sessionmaker, limits, email=email, address=None).admit()


async def test_failures_clear_out_keys_whose_window_ran_out(session, sessionmaker):
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    await session.execute(
        insert(LoginThrottle),
        [{"key": f"account:old{i}@example.com", "failures": 1, "window_started_at": long_ago} for i in range(30)]
        + [
            {
                "key": "account:locked@example.com",
                "failures": 9,
                "window_started_at": long_ago,
                "locked_until": datetime.now(UTC) + timedelta(hours=1),
            }
        ],
    )
    await session.commit()

    await _fail(sessionmaker, "someone@example.com")

    keys = set((await session.scalars(select(LoginThrottle.key))).all())
    assert len([k for k in keys if k.startswith("account:old")]) == 30 - PRUNE
    assert {"account:locked@example.com", "account:someone@example.com", "address:10.0.0.1"} <= keys


async def test_a_failure_is_recorded_as_the_user_whose_email_was_tried(sessionmaker, session):
    user = (
        await session.execute(
            insert(User)
            .values(email="someone@example.com", name="S", role="EDITOR", password_hash="x")
            .returning(User.id)
        )
    ).scalar_one()
    await session.commit()
    since = await mark(session)

    await _fail(sessionmaker, " Someone@Example.com", address="10.0.0.9")
    await _fail(sessionmaker, "nobody@example.com", address=None)

    assert await events_since(session, since) == [
        Event(
            "session.login_failed", (user, None), None, detail={"email": "Someone@Example.com", "address": "10.0.0.9"}
        ),
        Event("session.login_failed", (None, None), None, detail={"email": "nobody@example.com", "address": None}),
    ]
