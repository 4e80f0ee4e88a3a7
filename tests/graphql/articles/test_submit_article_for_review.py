from __future__ import annotations

from cms.vocabulary import Role
from tests import factories
from tests.graphql.articles.workflow import RETURN, SUBMIT, read, run


async def test_an_author_sends_their_draft_to_the_editors(api):
    article = await factories.create_article(api, role=Role.AUTHOR)

    payload = await run(api, SUBMIT, {"id": article["id"]}, role=Role.AUTHOR)

    assert payload["userErrors"] == []
    assert (payload["article"]["status"], payload["article"]["version"]) == ("IN_REVIEW", 2)
    assert await read(api, article["id"]) is None  # still unseen by readers


async def test_submitting_again_clears_the_editors_note(api):
    article = await factories.create_article(api, role=Role.AUTHOR)
    await run(api, SUBMIT, {"id": article["id"]}, role=Role.AUTHOR)
    await run(api, RETURN, {"id": article["id"], "note": "Add a second source."})

    payload = await run(api, SUBMIT, {"id": article["id"]}, role=Role.AUTHOR)

    assert (payload["article"]["status"], payload["article"]["reviewNote"]) == ("IN_REVIEW", None)


async def test_an_article_in_review_cannot_be_submitted_again(api):
    article = await factories.create_article(api, role=Role.AUTHOR)
    await run(api, SUBMIT, {"id": article["id"]}, role=Role.AUTHOR)

    payload = await run(api, SUBMIT, {"id": article["id"]}, role=Role.AUTHOR)

    assert payload == {
        "article": None,
        "userErrors": [
            {
                "field": ["id"],
                "message": "cannot submit an article that is IN_REVIEW; allowed: update, delete",
                "code": "INVALID",
            }
        ],
    }
