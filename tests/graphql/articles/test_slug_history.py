"""An old slug of a published article keeps finding it, until another article takes the slug."""

from __future__ import annotations

from cms.vocabulary import Role
from tests import factories
from tests.graphql.articles.workflow import UPDATE, run

BY_SLUG = "query($slug: String!) { article(slug: $slug) { id slug } }"


async def test_an_old_slug_finds_the_article_under_its_new_slug(api):
    article = await factories.published_article(api, title="Budget", slug="budget")

    await run(api, UPDATE, {"id": article["id"], "input": {"slug": "budget-2027"}})

    old = await api(BY_SLUG, {"slug": "budget"})
    assert old["data"]["article"] == {"id": article["id"], "slug": "budget-2027"}


async def test_a_draft_renamed_leaves_no_trail(api):
    article = await factories.create_article(api, title="Draft", slug="first-try")

    await run(api, UPDATE, {"id": article["id"], "input": {"slug": "second-try"}})

    assert (await api(BY_SLUG, {"slug": "first-try"}, role=Role.EDITOR))["data"]["article"] is None


async def test_a_new_article_that_takes_an_old_slug_wins_it(api):
    old = await factories.published_article(api, title="Budget", slug="budget")
    await run(api, UPDATE, {"id": old["id"], "input": {"slug": "budget-2026"}})

    new = await factories.published_article(api, title="Budget", slug="budget")

    assert (await api(BY_SLUG, {"slug": "budget"}))["data"]["article"] == {"id": new["id"], "slug": "budget"}
    assert (await api(BY_SLUG, {"slug": "budget-2026"}))["data"]["article"]["id"] == old["id"]


async def test_an_old_slug_shows_only_what_the_caller_may_see(api):
    article = await factories.published_article(api, slug="gone")
    await run(api, UPDATE, {"id": article["id"], "input": {"slug": "gone-now"}})
    await api(
        "mutation($id: ID!) { unpublishArticle(id: $id) { userErrors { code } } }",
        {"id": article["id"]},
        role=Role.EDITOR,
    )

    assert (await api(BY_SLUG, {"slug": "gone"}))["data"]["article"] is None
    assert (await api(BY_SLUG, {"slug": "gone"}, role=Role.EDITOR))["data"]["article"]["slug"] == "gone-now"
