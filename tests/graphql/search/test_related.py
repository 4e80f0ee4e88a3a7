"""Article.related: published articles sharing tags and words, best first, batched."""

from __future__ import annotations

from cms.vocabulary import Role
from tests import factories

RELATED = "query($slug: String!, $first: Int) { article(slug: $slug) { related(first: $first) { slug } } }"


async def related(api, slug: str, first: int | None = None, role: Role | None = None) -> list[str]:
    body = await api(RELATED, {"slug": slug, "first": first}, role=role)
    assert "errors" not in body, body
    return [a["slug"] for a in body["data"]["article"]["related"]]


async def test_more_shared_tags_first_then_two_shared_title_words(api):
    await factories.published_article(api, title="Tram line approved", tagNames=["Transport", "City Hall", "Budget"])
    await factories.published_article(api, title="Three tags", tagNames=["Transport", "City Hall", "Budget"])
    await factories.published_article(api, title="One tag", tagNames=["Budget"])
    await factories.published_article(api, title="Two tags", tagNames=["Transport", "City Hall"])
    await factories.published_article(api, title="A tram at night")  # one title word in common: chance
    await factories.published_article(api, title="Night tram line")
    await factories.published_article(api, title="Unrelated weather")

    assert await related(api, "tram-line-approved") == ["three-tags", "two-tags", "one-tag", "night-tram-line"]
    assert await related(api, "tram-line-approved", first=2) == ["three-tags", "two-tags"]


async def test_never_itself_never_unpublished_never_another_language(api):
    await factories.published_article(api, title="Tram line approved", tagNames=["Transport"])
    await factories.create_article(api, title="Tram draft", tagNames=["Transport"])
    archived = await factories.published_article(api, title="Tram archived", tagNames=["Transport"])
    await api(
        "mutation($id: ID!) { archiveArticle(id: $id) { userErrors { code } } }",
        {"id": archived["id"]},
        role=Role.EDITOR,
    )
    await factories.published_article(api, title="Tram en français", tagNames=["Transport"], locale="fr")
    await factories.published_article(api, title="Tram news", tagNames=["Transport"])

    assert await related(api, "tram-line-approved") == ["tram-news"]
    # An editor sees drafts everywhere else, but related reading is published reading.
    assert await related(api, "tram-line-approved", role=Role.EDITOR) == ["tram-news"]


async def test_first_is_checked(api):
    await factories.published_article(api, title="Tram")

    body = await api(RELATED, {"slug": "tram", "first": 21})

    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("first must be between 0 and 20", "INVALID")
    ]


async def test_one_statement_for_a_whole_page(api, statements):
    for i in range(3):
        await factories.published_article(api, title=f"Tram story {i}", tagNames=["Transport"])
    query = "query($n: Int) { articles(first: $n) { edges { node { slug related { slug } } } } }"

    statements.clear()
    small = await api(query, {"n": 1})
    few = len(statements)
    statements.clear()
    large = await api(query, {"n": 3})

    assert len(statements) == few
    assert [e["node"]["related"] for e in small["data"]["articles"]["edges"]] == [
        [{"slug": "tram-story-1"}, {"slug": "tram-story-0"}]
    ]
    assert len(large["data"]["articles"]["edges"]) == 3
