"""node(id) resolves an audit event for administrators only; for everyone else it is absent."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cms.db import AuditEvent
from cms.graphql.ids import to_global_id
from cms.vocabulary import Role
from tests import factories

NODE = "query($id: ID!) { node(id: $id) { __typename id ... on AuditEvent { action subjectId } } }"


@pytest.mark.parametrize(
    ("role", "visible"),
    [(None, False), (Role.PREVIEW, False), (Role.AUTHOR, False), (Role.EDITOR, False), (Role.ADMIN, True)],
    ids=["anonymous", "preview", "author", "editor", "admin"],
)
async def test_an_event_by_its_id(api, session, role, visible):
    author = await factories.author(api, "Ann")
    event_id = to_global_id("AuditEvent", await session.scalar(select(AuditEvent.id)))

    body = await api(NODE, {"id": event_id}, role=role)

    expected = {"__typename": "AuditEvent", "id": event_id, "action": "author.create", "subjectId": author["id"]}
    assert body == {"data": {"node": expected if visible else None}}


async def test_an_unknown_event_is_null(api):
    body = await api(NODE, {"id": to_global_id("AuditEvent", 99999)}, role=Role.ADMIN)

    assert body == {"data": {"node": None}}
