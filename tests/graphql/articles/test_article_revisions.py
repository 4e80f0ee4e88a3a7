"""Article.revisions: every saved change of content, newest first, readable as the article was."""

from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests import factories
from tests.graphql.articles.workflow import UPDATE, run

REVISIONS = """
query($id: ID!, $first: Int, $after: String) { article(id: $id) {
  version lastEditedBy { name }
  revisions(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { node { version title changedFields createdBy { name } } } } } }
"""


async def revisions(api, article_id, role=Role.EDITOR, **page):
    body = await api(REVISIONS, {"id": article_id, **page}, role=role)
    return body["data"]["article"]


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"title": "New headline"}, ["title"]),
        ({"slug": "new-slug"}, ["slug"]),
        ({"standfirst": "A new summary."}, ["standfirst"]),
        ({"bodyMarkdown": "New words."}, ["body"]),
        ({"tagSlugs": ["politics"]}, ["tags"]),
        ({"sources": [{"name": "AFP"}]}, ["sources"]),
        ({"seoTitle": "SEO", "canonicalUrl": "https://x.example/a"}, ["seoTitle", "canonicalUrl"]),
        ({"title": "Same headline"}, []),
    ],
    ids=["title", "slug", "standfirst", "body", "tags", "sources", "seo", "nothing"],
)
async def test_every_change_of_content_writes_a_revision_naming_what_changed(api, change, fields):
    article = await factories.create_article(api, title="Same headline", bodyMarkdown="Old words.")

    await run(api, UPDATE, {"id": article["id"], "input": change})

    page = await revisions(api, article["id"])
    newest, first = (e["node"] for e in page["revisions"]["edges"])
    assert (newest["version"], newest["changedFields"]) == (2, fields)
    assert (first["version"], first["changedFields"]) == (1, ["title", "slug", "locale", "body"])


async def test_bylines_hero_image_and_section_are_content_too(api):
    photo = await factories.media(api)
    world = await factories.section(api, "World")
    writer = await factories.author(api, "Writer")
    article = await factories.create_article(api)

    await run(
        api,
        UPDATE,
        {
            "id": article["id"],
            "input": {"heroImageId": photo["id"], "sectionId": world["id"], "authorIds": [writer["id"]]},
        },
    )

    page = await revisions(api, article["id"])
    assert page["revisions"]["edges"][0]["node"]["changedFields"] == ["heroImageId", "sectionId", "authorIds"]


async def test_status_changes_are_versions_but_not_revisions(api):
    article = await factories.published_article(api)

    page = await revisions(api, article["id"])

    assert page["version"] == 2
    assert [e["node"]["version"] for e in page["revisions"]["edges"]] == [1]


async def test_newest_first_paged_with_the_editor_who_saved_each(api):
    article = await factories.create_article(api, role=Role.AUTHOR, title="v1")
    for title in ("v2", "v3", "v4"):
        await run(api, UPDATE, {"id": article["id"], "input": {"title": title}}, role=Role.AUTHOR)

    first = await revisions(api, article["id"], first=2)
    rest = await revisions(api, article["id"], first=2, after=first["revisions"]["pageInfo"]["endCursor"])

    assert [e["node"]["title"] for e in first["revisions"]["edges"]] == ["v4", "v3"]
    assert first["revisions"]["totalCount"] == 4
    assert [e["node"]["title"] for e in rest["revisions"]["edges"]] == ["v2", "v1"]
    assert rest["revisions"]["pageInfo"]["hasNextPage"] is False
    assert {e["node"]["createdBy"]["name"] for e in first["revisions"]["edges"]} == {"An Author"}
    assert first["lastEditedBy"] == {"name": "An Author"}


async def test_a_snapshot_reads_as_the_article_did(api):
    photo = await factories.media(api, credit="Reuters")
    article = await factories.create_article(
        api, title="Then", bodyMarkdown="## Head\n\nOld body.", tagNames=["City Hall"], heroImageId=photo["id"]
    )
    await run(api, UPDATE, {"id": article["id"], "input": {"title": "Now", "bodyMarkdown": "New.", "tagNames": []}})

    body = await api(
        """query($id: ID!) { article(id: $id) { title revisions(first: 1, after: null) { edges { node { version } } }
            old: revisions { edges { node { version snapshot { title bodyText wordCount tags { name }
              heroImage { credit } authors { slug } } } } } } }""",
        {"id": article["id"]},
        role=Role.EDITOR,
    )

    old = body["data"]["article"]["old"]["edges"][-1]["node"]
    assert body["data"]["article"]["title"] == "Now"
    assert old == {
        "version": 1,
        "snapshot": {
            "title": "Then",
            "bodyText": "Head\n\nOld body.",
            "wordCount": 3,
            "tags": [{"name": "City Hall"}],
            "heroImage": {"credit": "Reuters"},
            "authors": [],
        },
    }


@pytest.mark.parametrize(
    ("role", "code"), [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN")], ids=["anonymous", "preview"]
)
async def test_history_is_for_editors_and_the_own_author(api, role, code):
    article = await factories.published_article(api)
    own = await factories.create_article(api, role=Role.AUTHOR)

    body = await api(REVISIONS, {"id": article["id"]}, role=role)
    author_elsewhere = await api(REVISIONS, {"id": article["id"]}, role=Role.AUTHOR)
    author_own = await api(REVISIONS, {"id": own["id"]}, role=Role.AUTHOR)

    assert body["data"]["article"] is None
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [(["article", "revisions"], code)]
    assert [e["extensions"]["code"] for e in author_elsewhere["errors"]] == ["FORBIDDEN"]
    assert "errors" not in author_own


REVISION_NODE = "query($id: ID!) { node(id: $id) { ... on Revision { version title article { id } } } }"


async def test_a_revision_is_a_node_for_those_who_see_its_history(api):
    own = await factories.create_article(api, role=Role.AUTHOR, title="Own")
    other = await factories.published_article(api, title="Other")

    async def node(name, role):
        body = await api(
            "query($id: ID!) { article(id: $id) { revisions(first: 1) { edges { node { id } } } } }",
            {"id": (own if name == "own" else other)["id"]},
            role=Role.EDITOR,
        )
        revision_id = body["data"]["article"]["revisions"]["edges"][0]["node"]["id"]
        found = await api(REVISION_NODE, {"id": revision_id}, role=role)
        assert "errors" not in found
        return found["data"]["node"]

    assert await node("own", Role.EDITOR) == {"version": 1, "title": "Own", "article": {"id": own["id"]}}
    assert await node("own", Role.AUTHOR) == {"version": 1, "title": "Own", "article": {"id": own["id"]}}
    assert await node("other", Role.AUTHOR) is None
    assert await node("other", Role.PREVIEW) is None
    assert await node("other", None) is None
