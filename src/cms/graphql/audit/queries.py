"""Reading the audit log: the whole of it, newest first, and one event for node(id)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cms.db import AuditEvent as AuditEventRow
from cms.graphql.audit.inputs import AuditEventFilter, to_filter
from cms.graphql.audit.types import AuditEvent
from cms.graphql.common import Connection, connection
from cms.graphql.context import Info
from cms.graphql.errors import run_query
from cms.graphql.permissions import gate
from cms.graphql.users.types import After, First
from cms.services import audit, policy
from cms.services.policy import Action


@strawberry.type
class AuditQueries:
    @strawberry.field(
        extensions=[gate(Action.READ_AUDIT)],
        description="ADMIN only: the audit log, newest first; every change of state, who made it and when.",
    )
    async def audit_events(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            AuditEventFilter | None, strawberry.argument(description="Only the events that match.")
        ] = None,
    ) -> Connection[AuditEvent]:
        narrowed = to_filter(filter)
        page = await run_query(info, lambda s: audit.list_events(s, first=first, after=after, filter=narrowed))
        return connection(page, wrap=AuditEvent.from_row)


async def audit_event(info: Info, pk: int) -> AuditEvent | None:
    """One event for node(id): for those who may read the log; None for everyone else."""
    if not policy.allows(info.context.viewer, Action.READ_AUDIT):
        return None
    # A plain read rather than a DataLoader: node() asks for one event at a time, and lists of
    # events come from list_events, never through here.
    row = await run_query(info, lambda s: s.get(AuditEventRow, pk))
    return AuditEvent.from_row(row) if row else None
