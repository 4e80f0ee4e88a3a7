"""The audit log: every change of state, written in the transaction of the change.

An event names its actor (the user, and the token they used), the action, the subject (a
GraphQL type name and database id) and the names of the fields it changed; `detail` may hold
particulars such as a publish time. Never a password, a token's secret, or any other secret.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.db import ApiToken, AuditEvent, User
from cms.services.errors import InputError, Problem
from cms.services.pagination import Keyset, Page, paginate
from cms.vocabulary import AuditAction


async def record(
    session: AsyncSession,
    viewer: Viewer | None,
    action: AuditAction,
    subject: tuple[str, int] | None = None,
    *,
    fields: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Write one event in the session's transaction: it stands or falls with the change.

    `subject` is (GraphQL type name, id); `viewer` None means the server itself (the clock)."""
    values: dict[str, Any] = {
        "actor_id": viewer.user_id if viewer else None,
        "actor_token_id": viewer.token_id if viewer else None,
        "actor_name": _name_of(viewer),
        "action": action.value,
        "subject_type": subject[0] if subject else None,
        "subject_id": subject[1] if subject else None,
        "changed_fields": sorted(set(fields)),
        "detail": detail or {},
    }
    if at is not None:
        values["at"] = at
    await session.execute(insert(AuditEvent).values(**values))


def _name_of(viewer: Viewer | None) -> ScalarSelect[str | None] | None:
    """The actor's name as it stands, read by the insert itself: the user's, else the token's."""
    if viewer is None or (viewer.user_id is None and viewer.token_id is None):
        return None
    return select(
        func.coalesce(
            select(User.name).where(User.id == viewer.user_id).scalar_subquery(),
            select(ApiToken.name).where(ApiToken.id == viewer.token_id).scalar_subquery(),
        )
    ).scalar_subquery()


@dataclass(frozen=True)
class EventFilter:
    actions: tuple[str, ...] | None = None
    actor_id: int | None = None
    subject: tuple[str, int] | None = None
    after: datetime | None = None
    before: datetime | None = None


def _iso(event: AuditEvent) -> str:
    return event.at.isoformat()


_NEWEST: Keyset[AuditEvent] = Keyset("audit:at:desc", AuditEvent.at, AuditEvent.id, True, _iso, datetime.fromisoformat)


async def list_events(
    session: AsyncSession, *, first: int | None, after: str | None, filter: EventFilter | None = None
) -> Page[AuditEvent]:
    """Events newest first, narrowed by the filter. Raises InputError (page size, cursor, times)."""
    f = filter or EventFilter()
    where: list[ColumnElement[bool]] = []
    for name, value in (("after", f.after), ("before", f.before)):
        if value is not None and value.tzinfo is None:
            raise InputError([Problem(("filter", name), f"{name} needs a time zone offset")])
    if f.actions is not None:
        where.append(AuditEvent.action.in_(f.actions))
    if f.actor_id is not None:
        where.append(AuditEvent.actor_id == f.actor_id)
    if f.subject is not None:
        where += [AuditEvent.subject_type == f.subject[0], AuditEvent.subject_id == f.subject[1]]
    if f.after is not None:
        where.append(AuditEvent.at >= f.after)
    if f.before is not None:
        where.append(AuditEvent.at < f.before)
    return await paginate(session, AuditEvent, where, _NEWEST, first=first, after=after)


def subjects(events: Sequence[AuditEvent]) -> list[tuple[str, int] | None]:
    return [(e.subject_type, e.subject_id) if e.subject_type and e.subject_id else None for e in events]
