"""auditEvents: the audit log, newest first, in pages, narrowed by a filter; for ADMIN only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from cms.auth import Viewer
from cms.db import ApiToken, AuditEvent, User
from cms.graphql.ids import to_global_id
from cms.graphql.scalars import serialize_datetime
from cms.services import audit
from cms.vocabulary import AuditAction, Role
from tests import factories
from tests.graphql.audit.operations import acting_with
from tests.graphql.users.operations import login, make_user

EVENTS = """
query($first: Int, $after: String, $filter: AuditEventFilter) {
  auditEvents(first: $first, after: $after, filter: $filter) {
    edges { cursor node { action } } pageInfo { hasNextPage endCursor } totalCount
  }
}
"""
T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


def at(minutes: int) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat()


async def _user(session, email: str) -> int:
    stmt = insert(User).values(email=email, name=email.split("@")[0], role="EDITOR", password_hash="x")
    return (await session.execute(stmt.returning(User.id))).scalar_one()


@pytest.fixture
async def log(api, session) -> dict[str, int]:
    """Four events a minute apart, by ann, bob, ann and no one; returns the two users' ids."""
    ann, bob = await _user(session, "ann@example.com"), await _user(session, "bob@example.com")
    for minute, (actor, action, subject, fields) in enumerate(
        [
            (ann, AuditAction.AUTHOR_CREATE, ("Author", 1), []),
            (bob, AuditAction.AUTHOR_UPDATE, ("Author", 1), ["name"]),
            (ann, AuditAction.TAG_CREATE, ("Tag", 7), []),
            (None, AuditAction.LOGIN_FAILED, None, []),
        ]
    ):
        viewer = Viewer(user_id=actor)
        await audit.record(session, viewer, action, subject, fields=fields, at=T0 + timedelta(minutes=minute))
    await session.commit()
    return {"ann": ann, "bob": bob}


def actions(body: dict) -> list[str]:
    assert "errors" not in body, body
    return [e["node"]["action"] for e in body["data"]["auditEvents"]["edges"]]


async def test_newest_first_in_pages(api, log):
    first = await api(EVENTS, {"first": 3}, role=Role.ADMIN)
    page = first["data"]["auditEvents"]

    rest = await api(EVENTS, {"first": 3, "after": page["pageInfo"]["endCursor"]}, role=Role.ADMIN)

    assert actions(first) == ["session.login_failed", "tag.create", "author.update"]
    assert (page["pageInfo"]["hasNextPage"], page["totalCount"]) == (True, 4)
    assert actions(rest) == ["author.create"]
    assert rest["data"]["auditEvents"]["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize(
    ("narrow", "expected"),
    [
        (lambda ids: {"actions": ["author.update", "session.login_failed"]}, ["session.login_failed", "author.update"]),
        (lambda ids: {"actions": []}, []),
        (lambda ids: {"actorId": to_global_id("User", ids["ann"])}, ["tag.create", "author.create"]),
        (lambda ids: {"subjectId": to_global_id("Author", 1)}, ["author.update", "author.create"]),
        (lambda ids: {"after": at(2)}, ["session.login_failed", "tag.create"]),
        (lambda ids: {"before": "2030-01-01T13:01:00+01:00"}, ["author.create"]),
        (lambda ids: {"actorId": to_global_id("User", ids["ann"]), "after": at(1)}, ["tag.create"]),
    ],
    ids=["actions", "no-actions", "actor", "subject", "after", "before-with-offset", "together"],
)
async def test_each_filter_narrows_the_log(api, log, narrow, expected):
    body = await api(EVENTS, {"filter": narrow(log)}, role=Role.ADMIN)

    assert actions(body) == expected
    assert body["data"]["auditEvents"]["totalCount"] == len(expected)


@pytest.mark.parametrize(
    ("narrow", "field", "message"),
    [
        ({"actions": ["author.create", "author.created"]}, "actions", "actions: no action is called 'author.created'"),
        ({"actorId": to_global_id("Author", 1)}, "actorId", "actorId: expected User, got Author"),
        ({"subjectId": "nope"}, "subjectId", "subjectId: not a valid ID"),
        ({"after": "2030-01-01T12:00:00"}, "after", "after needs a time zone offset"),
    ],
    ids=["unknown-action", "actor-of-another-type", "undecodable-subject", "time-without-offset"],
)
async def test_a_filter_that_cannot_match_as_meant_is_invalid(api, narrow, field, message):
    body = await api(EVENTS, {"filter": narrow}, role=Role.ADMIN)

    assert body["data"] is None
    assert [(e["message"], e["extensions"]) for e in body["errors"]] == [
        (message, {"code": "INVALID", "field": ["filter", field]})
    ]


async def test_an_event_as_an_administrator_reads_it(api, session):
    await make_user(api, role="ADMIN")
    token = await login(api)
    author = await factories.author(api, "Jane Doe")

    await api(
        'mutation($id: ID!) { updateAuthor(id: $id, input: {bio: "Writes."}) { userErrors { code } } }',
        {"id": author["id"]},
        token=token,
    )
    body = await api(
        """{ auditEvents(first: 1) { edges { node {
            id at action subjectId changedFields detail actorName actor { name email }
            actorToken { id kind current }
        } } } }""",
        role=Role.ADMIN,
    )

    event = (await session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))).one()
    _, session_id = await acting_with(session, token)
    assert body["data"]["auditEvents"]["edges"] == [
        {
            "node": {
                "id": to_global_id("AuditEvent", event.id),
                "at": serialize_datetime(event.at),
                "action": "author.update",
                "subjectId": author["id"],
                "changedFields": ["bio"],
                "detail": {},
                "actorName": "Ed",
                "actor": {"name": "Ed", "email": "editor@example.com"},
                "actorToken": {"id": to_global_id("ApiToken", session_id), "kind": "LOGIN", "current": False},
            }
        }
    ]


async def test_an_event_keeps_its_actors_name_once_the_user_and_token_are_deleted(api, session):
    ann = await _user(session, "ann@example.com")
    token = (
        await session.execute(
            insert(ApiToken)
            .values(name="Ann's laptop", role="EDITOR", secret_hash=b"x" * 32, user_id=ann, kind="login")
            .returning(ApiToken.id)
        )
    ).scalar_one()
    machine = (
        await session.execute(
            insert(ApiToken).values(name="Wire importer", role="EDITOR", secret_hash=b"y" * 32).returning(ApiToken.id)
        )
    ).scalar_one()
    await audit.record(session, Viewer(user_id=ann, token_id=token), AuditAction.TAG_CREATE, ("Tag", 1))
    await audit.record(session, Viewer(token_id=machine), AuditAction.TAG_CREATE, ("Tag", 2))
    await session.execute(User.__table__.delete().where(User.id == ann))
    await session.execute(ApiToken.__table__.delete().where(ApiToken.id == machine))
    await session.commit()

    body = await api(
        "{ auditEvents { edges { node { actorName actor { name } actorToken { id } } } } }", role=Role.ADMIN
    )

    assert [e["node"] for e in body["data"]["auditEvents"]["edges"]] == [
        {"actorName": "Wire importer", "actor": None, "actorToken": None},
        {"actorName": "ann", "actor": None, "actorToken": None},
    ]


async def test_article_ids_in_the_detail_are_global_ids(api, session):
    await audit.record(
        session,
        None,
        AuditAction.TRENDING_LIST_PINS,
        ("TrendingList", 3),
        detail={"change": "set", "articleIds": [5, 6]},
    )
    await audit.record(
        session,
        None,
        AuditAction.TRENDING_LIST_PINS,
        ("TrendingList", 3),
        detail={"change": "add", "articleId": 5, "rank": 1},
    )
    await session.commit()

    body = await api("{ auditEvents { edges { node { detail actor { name } actorToken { id } } } } }", role=Role.ADMIN)

    article = to_global_id("Article", 5)
    assert [e["node"] for e in body["data"]["auditEvents"]["edges"]] == [
        {"detail": {"change": "add", "articleId": article, "rank": 1}, "actor": None, "actorToken": None},
        {
            "detail": {"change": "set", "articleIds": [article, to_global_id("Article", 6)]},
            "actor": None,
            "actorToken": None,
        },
    ]


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.AUTHOR, "FORBIDDEN"), (Role.EDITOR, "FORBIDDEN")],
    ids=["anonymous", "preview", "author", "editor"],
)
async def test_only_administrators_read_the_log(api, log, role, code):
    body = await api(EVENTS, role=role)

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]


@pytest.mark.parametrize("size", [1, 20])
async def test_a_page_with_actors_and_tokens_costs_fixed_statements(api, session, statements, size):
    for i in range(20):
        user = await _user(session, f"user{i}@example.com")
        token = (
            await session.execute(
                insert(ApiToken)
                .values(name=f"t{i}", role="EDITOR", kind="login", secret_hash=bytes([i]), user_id=user)
                .returning(ApiToken.id)
            )
        ).scalar_one()
        actor = Viewer(role=Role.EDITOR, user_id=user, token_id=token)
        await audit.record(session, actor, AuditAction.AUTHOR_CREATE, ("Author", i + 1))
    await session.commit()
    await api("{ viewer { role } }", role=Role.ADMIN)  # the token's lastUsedAt is written once, here
    statements.clear()

    body = await api(
        "query($first: Int!) { auditEvents(first: $first) { totalCount edges { node { actor { name } actorToken { name } } } } }",
        {"first": size},
        role=Role.ADMIN,
    )

    assert len(body["data"]["auditEvents"]["edges"]) == size
    queries = [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))]
    # the token, the page, the count, the actors, their tokens
    assert len(queries) == 5, queries
