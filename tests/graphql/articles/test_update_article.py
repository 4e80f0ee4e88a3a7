from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests import factories

UPDATE = """
mutation($id: ID!, $input: UpdateArticleInput!, $v: Int) {
  updateArticle(id: $id, input: $input, expectedVersion: $v) {
    article { id slug title standfirst version updatedAt tags { slug } authors { slug } section { slug } }
    userErrors { field message code }
  }
}
"""


async def test_changes_only_the_fields_given(api):
    article = await factories.create_article(api, title="Old", standfirst="Keep me", tagSlugs=["a"])

    body = await api(UPDATE, {"id": article["id"], "input": {"title": "New", "tagSlugs": ["b", "c"]}}, role=Role.EDITOR)

    payload = body["data"]["updateArticle"]
    assert payload["userErrors"] == []
    updated = payload["article"]
    assert updated["title"] == "New"
    assert updated["slug"] == article["slug"]  # a published URL does not move by itself
    assert updated["standfirst"] == "Keep me"
    assert [t["slug"] for t in updated["tags"]] == ["b", "c"]
    assert updated["version"] == 2
    assert updated["updatedAt"] > article["updatedAt"]


async def test_null_clears_an_optional_field(api):
    world = await factories.section(api)
    article = await factories.create_article(api, sectionId=world["id"], standfirst="x")

    body = await api(UPDATE, {"id": article["id"], "input": {"sectionId": None, "standfirst": None}}, role=Role.EDITOR)

    updated = body["data"]["updateArticle"]["article"]
    assert updated["section"] is None
    assert updated["standfirst"] is None


async def test_matching_expected_version_saves(api):
    article = await factories.create_article(api)
    body = await api(UPDATE, {"id": article["id"], "input": {"title": "Next"}, "v": 1}, role=Role.EDITOR)
    assert body["data"]["updateArticle"]["article"]["version"] == 2


async def test_stale_expected_version_is_conflict_and_writes_nothing(api):
    article = await factories.create_article(api, title="Original")
    await api(UPDATE, {"id": article["id"], "input": {"title": "First edit"}}, role=Role.EDITOR)

    body = await api(UPDATE, {"id": article["id"], "input": {"title": "Stale edit"}, "v": 1}, role=Role.EDITOR)

    assert body["data"]["updateArticle"] == {
        "article": None,
        "userErrors": [
            {
                "field": ["expectedVersion"],
                "message": "the article is at version 2, not 1: reload and retry",
                "code": "CONFLICT",
            }
        ],
    }
    current = await api(
        "query($id: ID!) { article(id: $id) { title version } }", {"id": article["id"]}, role=Role.EDITOR
    )
    assert current["data"]["article"] == {"title": "First edit", "version": 2}


async def test_new_slug_taken_is_already_exists(api):
    await factories.create_article(api, title="Taken", slug="taken")
    article = await factories.create_article(api, title="Mine")
    body = await api(UPDATE, {"id": article["id"], "input": {"slug": "taken"}}, role=Role.EDITOR)
    assert body["data"]["updateArticle"]["userErrors"] == [
        {"field": ["input", "slug"], "message": "the slug 'taken' is already taken", "code": "ALREADY_EXISTS"}
    ]


async def test_unknown_article_is_not_found(api):
    body = await api(UPDATE, {"id": "QXJ0aWNsZTo5OTk5OQ==", "input": {"title": "x"}}, role=Role.EDITOR)
    assert body["data"]["updateArticle"]["userErrors"] == [
        {"field": ["id"], "message": "no such article", "code": "NOT_FOUND"}
    ]


async def test_id_of_another_type_is_invalid(api):
    author = await factories.author(api)
    body = await api(UPDATE, {"id": author["id"], "input": {"title": "x"}}, role=Role.EDITOR)
    assert body["data"]["updateArticle"]["userErrors"] == [
        {"field": ["id"], "message": "id: expected Article, got Author", "code": "INVALID"}
    ]


async def test_author_edits_own_draft(api):
    article = await factories.create_article(api, role=Role.AUTHOR, title="Mine")
    body = await api(UPDATE, {"id": article["id"], "input": {"title": "Still mine"}}, role=Role.AUTHOR)
    assert body["data"]["updateArticle"]["article"]["title"] == "Still mine"


async def test_author_may_not_edit_others_drafts(api):
    article = await factories.create_article(api, title="Not theirs")
    body = await api(UPDATE, {"id": article["id"], "input": {"title": "Hijack"}}, role=Role.AUTHOR)
    # An AUTHOR cannot see someone else's draft at all.
    assert body["data"]["updateArticle"]["userErrors"][0]["code"] == "NOT_FOUND"


async def test_author_may_not_edit_own_published_article(api):
    article = await factories.create_article(api, role=Role.AUTHOR, title="Mine")
    await factories.publish(api, article["id"])
    body = await api(UPDATE, {"id": article["id"], "input": {"title": "Sneaky"}}, role=Role.AUTHOR)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    current = await api("query($id: ID!) { article(id: $id) { title } }", {"id": article["id"]})
    assert current["data"]["article"]["title"] == "Mine"


@pytest.mark.parametrize(
    ("role", "code"), [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN")], ids=["anonymous", "preview"]
)
async def test_readers_may_not_update(api, role, code):
    article = await factories.create_article(api, title="Same")
    body = await api(UPDATE, {"id": article["id"], "input": {"title": "Changed"}}, role=role)
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    current = await api("query($id: ID!) { article(id: $id) { title } }", {"id": article["id"]}, role=Role.EDITOR)
    assert current["data"]["article"]["title"] == "Same"
