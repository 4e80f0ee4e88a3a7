from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests import factories
from tests.graphql.articles.workflow import RETURN, SUBMIT, run

NOTE = "query($id: ID!) { article(id: $id) { status reviewNote } }"


async def in_review(api) -> str:
    article = await factories.create_article(api, role=Role.AUTHOR)
    await run(api, SUBMIT, {"id": article["id"]}, role=Role.AUTHOR)
    return str(article["id"])


async def test_an_editor_returns_it_with_a_note_its_author_reads(api):
    article_id = await in_review(api)

    payload = await run(api, RETURN, {"id": article_id, "note": "  Needs a second source.  "})

    assert payload["userErrors"] == []
    assert payload["article"]["status"] == "DRAFT"
    author = await api(NOTE, {"id": article_id}, role=Role.AUTHOR)
    assert author["data"]["article"] == {"status": "DRAFT", "reviewNote": "Needs a second source."}


@pytest.mark.parametrize("role", [Role.PREVIEW], ids=["preview"])
async def test_others_who_may_read_the_article_do_not_see_the_note(api, role):
    article_id = await in_review(api)
    await run(api, RETURN, {"id": article_id, "note": "Tighten the lede."})

    body = await api(NOTE, {"id": article_id}, role=role)

    assert body == {"data": {"article": {"status": "DRAFT", "reviewNote": None}}}


async def test_a_note_is_needed(api):
    article_id = await in_review(api)

    payload = await run(api, RETURN, {"id": article_id, "note": "   "})

    assert payload == {
        "article": None,
        "userErrors": [
            {"field": ["note"], "message": "note must say what the author should change", "code": "INVALID"}
        ],
    }
