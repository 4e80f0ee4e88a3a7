"""Audit events as administrators read them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from cms.db import AuditEvent as AuditEventRow
from cms.graphql.common import Node
from cms.graphql.context import Info
from cms.graphql.ids import to_global_id
from cms.graphql.users.types import ApiToken, User

# Database ids that services keep in an event's detail, shown as the global IDs clients know.
_DETAIL_IDS = {"articleId": "Article", "articleIds": "Article"}


def _detail(detail: dict[str, Any]) -> dict[str, Any]:
    shown = dict(detail)
    for key, type_name in _DETAIL_IDS.items():
        value = shown.get(key)
        if isinstance(value, int):
            shown[key] = to_global_id(type_name, value)
        elif isinstance(value, list):
            shown[key] = [to_global_id(type_name, v) for v in value]
    return shown


@strawberry.type(description="One change of state in the audit log: who did what to what, and when. ADMIN only.")
class AuditEvent(Node):
    at: datetime = strawberry.field(description="When it happened, by the database clock.")
    action: str = strawberry.field(
        description=(
            "What happened, as <subject>.<verb>: e.g. article.publish, article.update, token.create, "
            "session.login_failed. Past-tense verbs (article.published) are changes the clock made."
        )
    )
    subject_id: strawberry.ID | None = strawberry.field(
        description="Global ID of what was acted on; node(id) is null once it is deleted. Null for sign-in failures."
    )
    changed_fields: list[str] = strawberry.field(
        description="The fields an update changed, by their API names, e.g. name, slug, avatarId; empty otherwise."
    )
    detail: JSON = strawberry.field(
        description=(
            "Particulars as a JSON object, never a secret: e.g. the name and slug of what was made or deleted, "
            "the email tried and the client address of a sign-in, what a pin change did. IDs in it are global IDs."
        )
    )
    actor_name: str | None = strawberry.field(
        description=(
            "The actor's name when they acted (the user's, else the token's), kept when either is deleted "
            "since. Null for the server itself and the command line."
        )
    )
    _actor_id: strawberry.Private[int | None]
    _actor_token_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, e: AuditEventRow) -> AuditEvent:
        subject = to_global_id(e.subject_type, e.subject_id) if e.subject_type and e.subject_id else None
        return cls(
            id=strawberry.ID(to_global_id("AuditEvent", e.id)),
            at=e.at,
            action=e.action,
            subject_id=strawberry.ID(subject) if subject else None,
            changed_fields=list(e.changed_fields),
            detail=JSON(_detail(e.detail)),
            actor_name=e.actor_name,
            _actor_id=e.actor_id,
            _actor_token_id=e.actor_token_id,
        )

    @strawberry.field(
        description=(
            "Who did it; for a sign-in, the user whose email was tried. Null for the server itself, the "
            "command line, a token that acts as a role alone, an unknown email, or a user since deleted."
        )
    )
    async def actor(self, info: Info) -> User | None:
        if self._actor_id is None:
            return None
        row = await info.context.loaders.users.by_id.load(self._actor_id)
        return User.from_row(row) if row else None

    @strawberry.field(
        description="The token the actor used: their sign-in session, or a token for machines. Null when none was."
    )
    async def actor_token(self, info: Info) -> ApiToken | None:
        if self._actor_token_id is None:
            return None
        row = await info.context.loaders.users.token.load(self._actor_token_id)
        return ApiToken.from_row(row) if row else None
