from __future__ import annotations

from tests import factories
from tests.graphql.articles.workflow import ARCHIVE, RESTORE, run


async def test_restored_articles_come_back_as_drafts(api):
    article = await factories.published_article(api)
    await run(api, ARCHIVE, {"id": article["id"]})

    payload = await run(api, RESTORE, {"id": article["id"]})

    assert payload["userErrors"] == []
    assert (payload["article"]["status"], payload["article"]["publishedAt"]) == ("DRAFT", None)


async def test_only_archived_articles_are_restored(api):
    article = await factories.create_article(api)

    payload = await run(api, RESTORE, {"id": article["id"]})

    assert payload["userErrors"] == [
        {
            "field": ["id"],
            "message": "cannot restore an article that is DRAFT; allowed: update, submit, publish, archive, delete",
            "code": "INVALID",
        }
    ]
