"""Sign-in throttling: failed sign-ins counted per account and per client address, in PostgreSQL,
so that every server process shares one count.

Within a window, an account (the lowercased email, whether or not a user has it) that failed
`slow_after` times is answered slowly; `lock_failures` failures for one account, or
`lock_address_failures` from one client address, lock that key for `lock_seconds`. A locked key
is refused without looking at the password, with one message that names when to try again: it
says nothing about whether the email exists, and takes the same time either way.

An attempt is counted when it starts, before its password is checked, and taken back when the
password proves right. So a burst of concurrent guesses cannot all slip in before the first
failure is written, and nothing that happens to the request afterwards (its mutation's userErrors
rolling back a savepoint, a refused sibling field rolling back the operation, a dropped
connection) can undo the count.

This module commits its own short transactions, the one deliberate exception to "services flush,
never commit": a count that lived in the operation's transaction would be rolled back with it.
For the same reason a failed sign-in's audit event is written here, with its count.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql import Executable

from cms.auth import Viewer
from cms.config import Settings
from cms.db import LoginThrottle, User
from cms.db.base import db_now
from cms.services import audit
from cms.services.errors import InputError, Problem
from cms.vocabulary import AuditAction, ErrorCode

log = logging.getLogger("cms.auth")

# The first slowed attempt waits this long, each further one twice as long, up to MAX_DELAY.
SLOW_STEP = 0.25
MAX_DELAY = 4.0
# Stale rows cleared by each failed attempt.
PRUNE = 20
# No account has a longer email (createUser refuses them); longer ones share a key rather than
# filling the table with megabyte keys.
_MAX_EMAIL = 320

# Short, so that the statements below read like the SQL they make.
T = LoginThrottle


@dataclass(frozen=True)
class Limits:
    """How many failures slow and lock sign-ins, and for how long (see `cms.config.Settings`)."""

    window_seconds: int
    slow_after: int
    lock_failures: int
    lock_address_failures: int
    lock_seconds: int
    slow_step: float = SLOW_STEP

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(
            window_seconds=settings.login_window_seconds,
            slow_after=settings.login_slow_after,
            lock_failures=settings.login_lock_failures,
            lock_address_failures=settings.login_lock_address_failures,
            lock_seconds=settings.login_lock_seconds,
        )

    def delay(self, earlier_failures: int) -> float:
        """Seconds to wait before checking a password, after this many failures of its account."""
        if earlier_failures < self.slow_after:
            return 0.0
        return float(min(self.slow_step * 2 ** (earlier_failures - self.slow_after), MAX_DELAY))


class RateLimited(InputError):
    """Too many failed sign-ins for this account or from this address; try again at `until`."""

    def __init__(self, until: datetime) -> None:
        super().__init__([Problem(None, retry_message(until), ErrorCode.RATE_LIMITED)])
        self.until = until


def retry_message(until: datetime) -> str:
    # Rounded up to the second: an attempt at the time given is let through.
    instant = datetime.fromtimestamp(math.ceil(until.timestamp()), UTC)
    return f"too many failed sign-ins; try again after {instant:%Y-%m-%dT%H:%M:%SZ}"


def account_key(email: str) -> str:
    return "account:" + email.strip().lower()[:_MAX_EMAIL]


def address_key(address: str) -> str:
    return "address:" + address


@dataclass
class Attempt:
    """One sign-in attempt: `admit` it, check the password, then report `failed` or `succeeded`."""

    sessionmaker: async_sessionmaker[AsyncSession]
    limits: Limits
    email: str
    address: str | None
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    # Each key with its lock threshold, in key order, so concurrent attempts lock rows alike.
    keys: list[tuple[str, int]] = field(init=False)
    counts: dict[str, int] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        keys = [(account_key(self.email), self.limits.lock_failures)]
        if self.address:
            keys.append((address_key(self.address), self.limits.lock_address_failures))
        self.keys = sorted(keys)

    @property
    def account(self) -> str:
        return account_key(self.email)

    async def admit(self) -> None:
        """Count the attempt and wait as long as its account's failures ask for.

        Raises RateLimited (a key is locked, or this attempt is one too many)."""
        async with self.sessionmaker() as session, session.begin():
            until = await session.scalar(
                select(func.max(T.locked_until)).where(T.key.in_([k for k, _ in self.keys]), T.locked_until > db_now())
            )
            if until is not None:
                raise RateLimited(until)
            locked: datetime | None = None
            for key, limit in self.keys:
                failures, locked_until, is_locked = (await session.execute(self._count(key, limit))).one()
                self.counts[key] = failures
                if is_locked:
                    # One attempt too many got here before the failures locked the key (or it
                    # was locked since the check above): refused, and the next key not counted.
                    log.warning("sign-in locked key=%r failures=%d until=%s", key, failures, locked_until)
                    locked = locked_until
                    break
        if locked is not None:
            raise RateLimited(locked)
        delay = self.limits.delay(self.counts[self.account] - 1)
        if delay:
            await self.sleep(delay)

    async def failed(self) -> None:
        """Keep the attempt counted; lock each key that reached its threshold. Logs the failure,
        and records it in the audit log: as the user whose email was tried, when there is one."""
        async with self.sessionmaker() as session, session.begin():
            newly_locked = []
            for key, limit in self.keys:
                row = (
                    await session.execute(
                        update(T)
                        .where(
                            T.key == key, T.failures >= limit, or_(T.locked_until.is_(None), T.locked_until <= db_now())
                        )
                        .values(locked_until=db_now() + timedelta(seconds=self.limits.lock_seconds))
                        .returning(T.failures, T.locked_until)
                    )
                ).one_or_none()
                if row is not None:
                    newly_locked.append((key, *row))
            await session.execute(self._prune())
            user_id = await session.scalar(select(User.id).where(User.email == self.email.strip().lower()))
            detail: dict[str, Any] = {"email": self.email.strip()[:_MAX_EMAIL], "address": self.address}
            if newly_locked:
                detail["locked"] = sorted(key.partition(":")[0] for key, _, _ in newly_locked)
            await audit.record(session, Viewer(user_id=user_id), AuditAction.LOGIN_FAILED, detail=detail)
        counts = " ".join(f"{key.partition(':')[0]}_failures={n}" for key, n in self.counts.items())
        log.warning("sign-in failed email=%r address=%s %s", self.email[:_MAX_EMAIL], self.address or "-", counts)
        for key, failures, until in newly_locked:
            log.warning("sign-in locked key=%r failures=%d until=%s", key, failures, until)

    async def succeeded(self) -> None:
        """The password was right: the account starts afresh; the address keeps its failures."""
        async with self.sessionmaker() as session, session.begin():
            await session.execute(delete(T).where(T.key == self.account))
            for key, limit in self.keys:
                if key == self.account:
                    continue
                # Take back this attempt's count; a lock its count completed is lifted with it.
                await session.execute(
                    update(T)
                    .where(T.key == key)
                    .values(
                        failures=func.greatest(T.failures - 1, 0),
                        locked_until=case((T.failures - 1 < limit, None), else_=T.locked_until),
                    )
                )

    def _prune(self) -> Executable:
        """Forget a few keys whose window ran out with no lock standing, so that a spray of
        made-up emails does not grow the table for ever; each failure clears up to PRUNE rows."""
        now = db_now()
        stale = (
            select(T.key)
            .where(
                T.window_started_at < now - timedelta(seconds=self.limits.window_seconds),
                or_(T.locked_until.is_(None), T.locked_until <= now),
            )
            .limit(PRUNE)
            .with_for_update(skip_locked=True)
        )
        return delete(T).where(T.key.in_(stale.scalar_subquery()))

    def _count(self, key: str, limit: int) -> Executable:
        """Upsert one key's count atomically: a new window when the last one ran out or its lock
        lifted; unchanged while locked; locked at once when this attempt is beyond the limit."""
        now = db_now()
        locked: ColumnElement[bool] = T.locked_until > now
        fresh = or_(T.window_started_at <= now - timedelta(seconds=self.limits.window_seconds), T.locked_until <= now)
        lock = now + timedelta(seconds=self.limits.lock_seconds)
        stmt = insert(T).values(key=key, failures=1, window_started_at=now)
        return stmt.on_conflict_do_update(
            index_elements=[T.key],
            set_={
                "failures": case((locked, T.failures), (fresh, 1), else_=T.failures + 1),
                "window_started_at": case((locked, T.window_started_at), (fresh, now), else_=T.window_started_at),
                "locked_until": case(
                    (locked, T.locked_until), (fresh, None), (T.failures + 1 > limit, lock), else_=None
                ),
            },
        ).returning(T.failures, T.locked_until, func.coalesce(T.locked_until > now, False))
