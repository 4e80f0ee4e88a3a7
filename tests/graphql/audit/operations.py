"""What the audit log tests share: the events written after a mark, to compare exactly."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.db import ApiToken, AuditEvent, User
from cms.graphql.ids import parse_global_id
from cms.services.tokens import digest
from cms.vocabulary import Role


@dataclass
class Event:
    action: str
    # (user id, token id)
    actor: tuple[int | None, int | None]
    # (GraphQL type name, database id)
    subject: tuple[str, int] | None
    fields: list[str] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)


async def mark(session: AsyncSession) -> int:
    """The newest event's id so far: `events_since` reads what came after it."""
    return int(await session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0))) or 0)


async def events_since(session: AsyncSession, since: int) -> list[Event]:
    """Every event written after `since`, oldest first."""
    e = AuditEvent
    rows = await session.execute(
        select(e.action, e.actor_id, e.actor_token_id, e.subject_type, e.subject_id, e.changed_fields, e.detail)
        .where(e.id > since)
        .order_by(e.id)
    )
    return [
        Event(action, (user, token), (kind, pk) if kind else None, list(fields), detail)
        for action, user, token, kind, pk, fields, detail in rows
    ]


async def as_role(session: AsyncSession, role: Role) -> tuple[int | None, int]:
    """The actor of a request made with the `api` fixture's token for `role`."""
    user, token = (
        await session.execute(select(ApiToken.user_id, ApiToken.id).where(ApiToken.name == role.value))
    ).one()
    return user, token


async def acting_with(session: AsyncSession, secret: str) -> tuple[int | None, int]:
    """The actor of a request made with this bearer secret: (its user, the token)."""
    stmt = select(ApiToken.user_id, ApiToken.id).where(ApiToken.secret_hash == digest(secret))
    user, token = (await session.execute(stmt)).one()
    return user, token


async def user_id(session: AsyncSession, email: str) -> int:
    return int(await session.scalar(select(User.id).where(User.email == email)) or 0)


def subject(global_id: str) -> tuple[str, int]:
    """A global ID as the (type name, id) an event's subject is stored as."""
    return parse_global_id(global_id)
