"""What clients send to narrow the audit log, and its translation for the services."""

from __future__ import annotations

from datetime import datetime

import strawberry

from cms.graphql.errors import api_error
from cms.graphql.ids import BadId, decode_id, parse_global_id
from cms.services.audit import EventFilter
from cms.vocabulary import AuditAction, ErrorCode
from graphql import GraphQLError


@strawberry.input(description="Narrows the audit log; an event must match every filter given.")
class AuditEventFilter:
    actions: list[str] | None = strawberry.field(
        default=None, description='Only these actions, e.g. ["user.update", "session.login_failed"].'
    )
    actor_id: strawberry.ID | None = strawberry.field(default=None, description="Only what this user did (a User ID).")
    subject_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only what was done to this object (any global ID)."
    )
    after: datetime | None = strawberry.field(default=None, description="Only events at or after this instant.")
    before: datetime | None = strawberry.field(default=None, description="Only events before this instant.")


def _invalid(name: str, message: str) -> GraphQLError:
    return api_error(ErrorCode.INVALID, f"{name}: {message}", field=["filter", name])


def to_filter(data: AuditEventFilter | None) -> EventFilter:
    """Service input. Raises a coded INVALID error for an unknown action or an ID that does not
    decode, so that a typo is told rather than answered with an empty log."""
    if data is None:
        return EventFilter()
    known = {a.value for a in AuditAction}
    unknown = [a for a in data.actions or () if a not in known]
    if unknown:
        raise _invalid("actions", f"no action is called {unknown[0]!r}")
    try:
        actor_id = decode_id(data.actor_id, "User") if data.actor_id is not None else None
    except BadId as exc:
        raise _invalid("actorId", str(exc)) from None
    try:
        subject = parse_global_id(data.subject_id) if data.subject_id is not None else None
    except BadId as exc:
        raise _invalid("subjectId", str(exc)) from None
    actions = tuple(data.actions) if data.actions is not None else None
    return EventFilter(actions=actions, actor_id=actor_id, subject=subject, after=data.after, before=data.before)
