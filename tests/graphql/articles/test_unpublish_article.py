from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cms.vocabulary import Role
from tests import factories

READ = "query($id: ID!) { article(id: $id) { id status publishedAt } }"
UNPUBLISH = """
mutation($id: ID!) { unpublishArticle(id: $id) { article { status publishedAt version } userErrors { field message code } } }
"""


async def test_unpublish_returns_to_draft(api):
    article = await factories.published_article(api)

    body = await api(UNPUBLISH, {"id": article["id"]}, role=Role.EDITOR)

    assert body["data"]["unpublishArticle"] == {
        "article": {"status": "DRAFT", "publishedAt": None, "version": 3},
        "userErrors": [],
    }
    assert (await api(READ, {"id": article["id"]}))["data"]["article"] is None


async def test_a_scheduled_article_goes_back_to_draft(api):
    article = await factories.create_article(api)
    await factories.publish(api, article["id"], (datetime.now(UTC) + timedelta(days=1)).isoformat())

    body = await api(UNPUBLISH, {"id": article["id"]}, role=Role.EDITOR)

    assert body["data"]["unpublishArticle"]["article"] == {"status": "DRAFT", "publishedAt": None, "version": 3}


async def test_an_undecodable_id_is_invalid_once(api):
    body = await api(UNPUBLISH, {"id": "QXV0aG9yOjE="}, role=Role.EDITOR)  # Author:1
    assert body["data"]["unpublishArticle"] == {
        "article": None,
        "userErrors": [{"field": ["id"], "message": "id: expected Article, got Author", "code": "INVALID"}],
    }


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.AUTHOR, "FORBIDDEN")],
    ids=["anonymous", "preview", "author"],
)
async def test_only_editors_unpublish(api, role, code):
    article = await factories.published_article(api)
    body = await api(UNPUBLISH, {"id": article["id"]}, role=role)
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert (await api(READ, {"id": article["id"]}))["data"]["article"]["status"] == "PUBLISHED"
