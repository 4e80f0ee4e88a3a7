from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from cms.config import Settings
from cms.db import ApiToken, AuditEvent, ServerSecret
from cms.services import preview
from cms.vocabulary import AuditAction, Role
from tests import factories

CREATE = """
mutation($id: ID!) { createPreviewLink(id: $id) { previewToken expiresAt userErrors { field message code } } }
"""
PREVIEW = "query($token: String!) { articlePreview(token: $token) { id title status } }"
TOKEN = re.compile(r"[A-Za-z0-9_-]{71}")


@pytest.fixture
def settings() -> Settings:
    return Settings(database_url="postgresql://unused", preview_link_seconds=120)


def parse(instant: str) -> datetime:
    return datetime.fromisoformat(instant.replace("Z", "+00:00"))


async def preview_events(session) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.action.like("preview_link.%")).order_by(AuditEvent.id)
    return list((await session.scalars(stmt)).all())


async def test_an_editor_gets_a_token_that_opens_the_draft(api):
    article = await factories.create_article(api, title="Not out yet")
    before = datetime.now(UTC)

    body = await api(CREATE, {"id": article["id"]}, role=Role.EDITOR)

    payload = body["data"]["createPreviewLink"]
    assert payload["userErrors"] == []
    assert TOKEN.fullmatch(payload["previewToken"])
    # settings.preview_link_seconds, by the database clock, rounded up to the second.
    expires_at = parse(payload["expiresAt"])
    assert before + timedelta(seconds=119) <= expires_at <= datetime.now(UTC) + timedelta(seconds=121)
    assert expires_at.microsecond == 0
    read = await api(PREVIEW, {"token": payload["previewToken"]})
    assert read == {"data": {"articlePreview": {"id": article["id"], "title": "Not out yet", "status": "DRAFT"}}}


async def test_the_audit_log_records_the_expiry_never_the_token(api, session):
    article = await factories.create_article(api)

    payload = (await api(CREATE, {"id": article["id"]}, role=Role.EDITOR))["data"]["createPreviewLink"]

    [event] = await preview_events(session)
    editor_token = await session.scalar(select(ApiToken.id).where(ApiToken.role == "EDITOR"))
    assert (event.action, event.subject_type, event.actor_token_id) == (
        AuditAction.PREVIEW_LINK_CREATE,
        "Article",
        editor_token,
    )
    assert parse(event.detail["expiresAt"]) == parse(payload["expiresAt"])
    assert event.detail == {"expiresAt": event.detail["expiresAt"]}
    row = repr([getattr(event, c.key) for c in AuditEvent.__table__.columns])
    assert payload["previewToken"] not in row
    assert payload["previewToken"][:20] not in row


async def test_an_author_gets_one_for_their_own_draft(api):
    own = await factories.create_article(api, role=Role.AUTHOR, title="Mine")

    payload = (await api(CREATE, {"id": own["id"]}, role=Role.AUTHOR))["data"]["createPreviewLink"]

    assert payload["userErrors"] == []
    assert (await api(PREVIEW, {"token": payload["previewToken"]}))["data"]["articlePreview"]["title"] == "Mine"


async def test_an_authors_view_of_anothers_draft_is_not_found(api, session):
    draft = await factories.create_article(api, title="Someone else's")

    body = await api(CREATE, {"id": draft["id"]}, role=Role.AUTHOR)

    assert body["data"]["createPreviewLink"] == {
        "previewToken": None,
        "expiresAt": None,
        "userErrors": [{"field": ["id"], "message": "no such article", "code": "NOT_FOUND"}],
    }
    assert await preview_events(session) == []


async def test_an_author_may_not_make_one_for_anothers_published_article(api, session):
    live = await factories.published_article(api, title="Someone else's, live")

    body = await api(CREATE, {"id": live["id"]}, role=Role.AUTHOR)

    assert body["data"] is None
    assert [(e["extensions"]["code"], e["message"]) for e in body["errors"]] == [
        ("FORBIDDEN", "only editors and the article's own author see this")
    ]
    assert await preview_events(session) == []


async def test_an_editor_gets_one_for_a_published_article_too(api):
    live = await factories.published_article(api, title="Out")

    payload = (await api(CREATE, {"id": live["id"]}, role=Role.EDITOR))["data"]["createPreviewLink"]

    read = await api(PREVIEW, {"token": payload["previewToken"]})
    assert read["data"]["articlePreview"]["status"] == "PUBLISHED"


async def test_an_unknown_article_is_not_found(api, session):
    body = await api(CREATE, {"id": "QXJ0aWNsZTo5OTk5OQ=="}, role=Role.EDITOR)  # Article:99999

    assert body["data"]["createPreviewLink"] == {
        "previewToken": None,
        "expiresAt": None,
        "userErrors": [{"field": ["id"], "message": "no such article", "code": "NOT_FOUND"}],
    }
    assert await preview_events(session) == []


async def test_an_id_of_another_type_is_invalid(api, session):
    body = await api(CREATE, {"id": "QXV0aG9yOjE="}, role=Role.EDITOR)  # Author:1

    assert body["data"]["createPreviewLink"]["userErrors"] == [
        {"field": ["id"], "message": "id: expected Article, got Author", "code": "INVALID"}
    ]
    assert await preview_events(session) == []


@pytest.mark.parametrize(
    ("role", "code"), [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN")], ids=["anonymous", "preview"]
)
async def test_readers_may_not_make_one_and_no_key_is_made_for_them(api, session, role, code):
    article = await factories.create_article(api)

    body = await api(CREATE, {"id": article["id"]}, role=role)

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert await preview_events(session) == []
    assert await session.scalar(select(func.count()).select_from(ServerSecret)) == 0


async def test_the_token_is_signed_with_the_key_every_process_shares(api, session, settings, connection):
    article = await factories.create_article(api)

    payload = (await api(CREATE, {"id": article["id"]}, role=Role.EDITOR))["data"]["createPreviewLink"]

    # Made on first use and kept in the database, where another process (a sessionmaker with no
    # cache of its own yet) reads the same key.
    assert await session.scalar(select(func.count()).select_from(ServerSecret)) == 1
    elsewhere = async_sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    key = await preview.signing_key(settings, elsewhere)
    assert preview.read(key, payload["previewToken"]).expires_at == parse(payload["expiresAt"])
