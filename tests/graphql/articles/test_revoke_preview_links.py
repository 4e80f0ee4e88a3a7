from __future__ import annotations

import pytest
from sqlalchemy import select

from cms.db import Article, AuditEvent
from cms.graphql.ids import parse_global_id
from cms.vocabulary import AuditAction, Role
from tests import factories

CREATE = "mutation($id: ID!) { createPreviewLink(id: $id) { previewToken userErrors { code } } }"
REVOKE = """
mutation($id: ID!) { revokePreviewLinks(id: $id) { article { id title version } userErrors { field message code } } }
"""
PREVIEW = "query($token: String!) { articlePreview(token: $token) { title } }"


async def link(api, article_id: str, role: Role = Role.EDITOR) -> str:
    payload = (await api(CREATE, {"id": article_id}, role=role))["data"]["createPreviewLink"]
    assert payload["userErrors"] == [], payload
    token: str = payload["previewToken"]
    return token


async def opens(api, token: str) -> bool:
    body = await api(PREVIEW, {"token": token})
    return body["data"]["articlePreview"] is not None


async def epoch(session, article_id: str) -> int:
    value: int = await session.scalar(select(Article.preview_epoch).where(Article.id == parse_global_id(article_id)[1]))
    return value


async def revocations(session) -> list[tuple[str, str | None, int | None]]:
    rows = await session.execute(
        select(AuditEvent.action, AuditEvent.subject_type, AuditEvent.subject_id)
        .where(AuditEvent.action == AuditAction.PREVIEW_LINK_REVOKE)
        .order_by(AuditEvent.id)
    )
    return [tuple(r) for r in rows]


async def test_an_editor_revokes_every_link_at_once(api, session):
    draft = await factories.create_article(api, title="Leaky")
    first, second = await link(api, draft["id"]), await link(api, draft["id"], role=Role.ADMIN)

    body = await api(REVOKE, {"id": draft["id"]}, role=Role.EDITOR)

    assert body["data"]["revokePreviewLinks"] == {
        "article": {"id": draft["id"], "title": "Leaky", "version": draft["version"]},
        "userErrors": [],
    }
    assert not await opens(api, first)
    assert not await opens(api, second)
    assert await revocations(session) == [("preview_link.revoke", "Article", parse_global_id(draft["id"])[1])]


async def test_revoking_is_not_a_change_of_content(api, session):
    draft = await factories.create_article(api)
    before = (await session.execute(select(Article.version, Article.updated_at))).one()

    await api(REVOKE, {"id": draft["id"]}, role=Role.EDITOR)

    assert (await session.execute(select(Article.version, Article.updated_at))).one() == before
    assert await epoch(session, draft["id"]) == 1


async def test_links_made_after_a_revocation_open(api):
    draft = await factories.create_article(api)
    await link(api, draft["id"])
    await api(REVOKE, {"id": draft["id"]}, role=Role.EDITOR)

    assert await opens(api, await link(api, draft["id"]))


async def test_only_that_articles_links_are_revoked(api):
    one, other = await factories.create_article(api, title="One"), await factories.create_article(api, title="Other")
    kept = await link(api, other["id"])
    await link(api, one["id"])

    await api(REVOKE, {"id": one["id"]}, role=Role.EDITOR)

    assert await opens(api, kept)


async def test_an_author_revokes_the_links_of_their_own_article(api, session):
    own = await factories.create_article(api, role=Role.AUTHOR)
    token = await link(api, own["id"])  # made by an editor

    body = await api(REVOKE, {"id": own["id"]}, role=Role.AUTHOR)

    assert body["data"]["revokePreviewLinks"]["userErrors"] == []
    assert not await opens(api, token)


async def test_an_authors_view_of_anothers_draft_is_not_found_and_nothing_changes(api, session):
    draft = await factories.create_article(api)
    token = await link(api, draft["id"])

    body = await api(REVOKE, {"id": draft["id"]}, role=Role.AUTHOR)

    assert body["data"]["revokePreviewLinks"] == {
        "article": None,
        "userErrors": [{"field": ["id"], "message": "no such article", "code": "NOT_FOUND"}],
    }
    assert await opens(api, token)
    assert await epoch(session, draft["id"]) == 0
    assert await revocations(session) == []


async def test_an_author_may_not_revoke_the_links_of_anothers_published_article(api, session):
    live = await factories.published_article(api)

    body = await api(REVOKE, {"id": live["id"]}, role=Role.AUTHOR)

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert await epoch(session, live["id"]) == 0
    assert await revocations(session) == []


async def test_an_unknown_article_is_not_found(api, session):
    body = await api(REVOKE, {"id": "QXJ0aWNsZTo5OTk5OQ=="}, role=Role.EDITOR)  # Article:99999

    assert body["data"]["revokePreviewLinks"] == {
        "article": None,
        "userErrors": [{"field": ["id"], "message": "no such article", "code": "NOT_FOUND"}],
    }
    assert await revocations(session) == []


@pytest.mark.parametrize(
    ("role", "code"), [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN")], ids=["anonymous", "preview"]
)
async def test_readers_may_not_revoke(api, session, role, code):
    draft = await factories.create_article(api)
    token = await link(api, draft["id"])

    body = await api(REVOKE, {"id": draft["id"]}, role=role)

    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert await opens(api, token)
    assert await epoch(session, draft["id"]) == 0
