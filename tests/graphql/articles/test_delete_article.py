from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cms.db import Article, ArticleAuthor, ArticleTag, Tag
from cms.vocabulary import Role
from tests import factories

DELETE = "mutation($id: ID!) { deleteArticle(id: $id) { deletedId userErrors { field message code } } }"


async def test_deletes_article_and_its_links_but_keeps_tags(api, session):
    article = await factories.create_article(api, tagSlugs=["kept"], authorIds=[(await factories.author(api))["id"]])

    body = await api(DELETE, {"id": article["id"]}, role=Role.EDITOR)

    assert body["data"]["deleteArticle"] == {"deletedId": article["id"], "userErrors": []}
    for model in (Article, ArticleAuthor, ArticleTag):
        assert await session.scalar(select(func.count()).select_from(model)) == 0
    assert await session.scalar(select(func.count()).select_from(Tag)) == 1


async def test_unknown_is_not_found(api):
    body = await api(DELETE, {"id": "QXJ0aWNsZTo5OTk5OQ=="}, role=Role.EDITOR)
    assert body["data"]["deleteArticle"] == {
        "deletedId": None,
        "userErrors": [{"field": ["id"], "message": "no such article", "code": "NOT_FOUND"}],
    }


async def test_author_deletes_own_draft_only(api, session):
    own = await factories.create_article(api, role=Role.AUTHOR, title="Mine")
    published = await factories.create_article(api, role=Role.AUTHOR, title="Mine live")
    await factories.publish(api, published["id"])

    ok = await api(DELETE, {"id": own["id"]}, role=Role.AUTHOR)
    refused = await api(DELETE, {"id": published["id"]}, role=Role.AUTHOR)

    assert ok["data"]["deleteArticle"]["deletedId"] == own["id"]
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await session.scalar(select(func.count()).select_from(Article)) == 1


@pytest.mark.parametrize(
    ("role", "code"), [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN")], ids=["anonymous", "preview"]
)
async def test_readers_may_not_delete(api, session, role, code):
    article = await factories.create_article(api)
    body = await api(DELETE, {"id": article["id"]}, role=role)
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert await session.scalar(select(func.count()).select_from(Article)) == 1
