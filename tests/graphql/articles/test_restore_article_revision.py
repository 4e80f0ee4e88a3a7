from __future__ import annotations

from cms.vocabulary import Role
from tests import factories
from tests.graphql.articles.workflow import RESTORE_REVISION, UPDATE, run

READ = """query($id: ID!) { article(id: $id) { title slug version tags { slug } authors { slug }
  revisions(first: 1) { edges { node { version changedFields } } } } }"""


async def test_an_old_version_becomes_current_as_a_new_one(api):
    article = await factories.create_article(api, title="First", tagSlugs=["one"])
    await run(api, UPDATE, {"id": article["id"], "input": {"title": "Second", "tagSlugs": ["two"]}})

    payload = await run(api, RESTORE_REVISION, {"id": article["id"], "version": 1})

    assert payload["userErrors"] == []
    after = (await api(READ, {"id": article["id"]}, role=Role.EDITOR))["data"]["article"]
    assert (after["title"], after["tags"], after["version"]) == ("First", [{"slug": "one"}], 3)
    assert after["revisions"]["edges"] == [{"node": {"version": 3, "changedFields": ["title", "tags"]}}]


async def test_a_stale_expected_version_writes_nothing(api):
    article = await factories.create_article(api, title="First")
    await run(api, UPDATE, {"id": article["id"], "input": {"title": "Second"}})

    payload = await run(api, RESTORE_REVISION, {"id": article["id"], "version": 1, "expected": 1})

    assert payload["userErrors"] == [
        {
            "field": ["expectedVersion"],
            "message": "the article is at version 2, not 1: reload and retry",
            "code": "CONFLICT",
        }
    ]
    after = (await api(READ, {"id": article["id"]}, role=Role.EDITOR))["data"]["article"]
    assert (after["title"], after["version"]) == ("Second", 2)


async def test_an_unknown_version_is_not_found(api):
    article = await factories.create_article(api)

    payload = await run(api, RESTORE_REVISION, {"id": article["id"], "version": 7})

    assert payload["userErrors"] == [
        {"field": ["version"], "message": "the article has no version 7", "code": "NOT_FOUND"}
    ]


async def test_what_was_deleted_since_is_left_out(api):
    gone = await factories.author(api, "Gone Soon")
    kept = await factories.author(api, "Kept")
    article = await factories.create_article(api, authorIds=[gone["id"], kept["id"]])
    await run(api, UPDATE, {"id": article["id"], "input": {"authorIds": [kept["id"]]}})
    await api(
        "mutation($id: ID!) { deleteAuthor(id: $id) { userErrors { code } } }", {"id": gone["id"]}, role=Role.EDITOR
    )

    payload = await run(api, RESTORE_REVISION, {"id": article["id"], "version": 1})

    assert payload["userErrors"] == []
    after = (await api(READ, {"id": article["id"]}, role=Role.EDITOR))["data"]["article"]
    assert after["authors"] == [{"slug": "kept"}]


async def test_a_slug_another_article_took_meanwhile_is_already_exists(api):
    article = await factories.create_article(api, title="Budget")
    await run(api, UPDATE, {"id": article["id"], "input": {"slug": "budget-2027"}})
    await factories.create_article(api, title="Other", slug="budget")

    payload = await run(api, RESTORE_REVISION, {"id": article["id"], "version": 1})

    assert payload["userErrors"] == [
        {"field": ["version"], "message": "the slug 'budget' now belongs to another article", "code": "ALREADY_EXISTS"}
    ]
