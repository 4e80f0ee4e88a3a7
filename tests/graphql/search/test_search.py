"""search: the text of every visible article, web-search syntax, ranked, marked, paged."""

from __future__ import annotations

import re

import pytest

from cms.vocabulary import Role
from tests import factories

SEARCH = """
query($q: String!, $first: Int, $after: String, $filter: ArticleFilter) {
  search(query: $q, first: $first, after: $after, filter: $filter) {
    totalCount
    edges { cursor rank headline node { slug } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def found(api, query: str, role: Role | None = None, **variables) -> list[str]:
    body = await api(SEARCH, {"q": query, **variables}, role=role)
    assert "errors" not in body, body
    return [e["node"]["slug"] for e in body["data"]["search"]["edges"]]


async def test_title_outranks_standfirst_outranks_body(api):
    await factories.published_article(api, title="In the body", bodyMarkdown="A story about the harbour.")
    await factories.published_article(api, title="Harbour reopens", bodyMarkdown="Ships are back.")
    await factories.published_article(api, title="In the standfirst", standfirst="The harbour after the storm")

    assert await found(api, "harbour") == ["harbour-reopens", "in-the-standfirst", "in-the-body"]


async def test_bylines_and_tags_are_searched_and_kept_up_to_date(api):
    writer = await factories.author(api, "Ingrid Solberg")
    article = await factories.published_article(api, title="Weather", authorIds=[writer["id"]], tagNames=["Storms"])
    assert await found(api, "solberg") == ["weather"]
    assert await found(api, "storms") == ["weather"]

    # Renaming the author or changing the tags updates the vector in the database itself.
    await api(
        "mutation($id: ID!, $input: UpdateAuthorInput!) { updateAuthor(id: $id, input: $input) { userErrors { code } } }",
        {"id": writer["id"], "input": {"name": "Ingrid Berg"}},
        role=Role.EDITOR,
    )
    await api(
        "mutation($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { userErrors { code } } }",
        {"id": article["id"], "input": {"tagNames": ["Floods"]}},
        role=Role.EDITOR,
    )

    assert await found(api, "solberg") == []
    assert await found(api, "berg") == ["weather"]
    assert await found(api, "storms") == []
    assert await found(api, "floods") == ["weather"]


async def test_web_search_syntax(api):
    await factories.published_article(api, title="Tram line approved", bodyMarkdown="The council voted.")
    await factories.published_article(api, title="Line of the tram", bodyMarkdown="A budget row.")
    await factories.published_article(api, title="Budget passes", bodyMarkdown="Nothing about transport.")

    assert await found(api, '"tram line"') == ["tram-line-approved"]
    assert sorted(await found(api, "tram -budget")) == ["tram-line-approved"]
    assert sorted(await found(api, "council or budget")) == ["budget-passes", "line-of-the-tram", "tram-line-approved"]


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        'tram "',
        '- or "',
        "&|!():*<->",
        "-",
        "or",
        "   ",
        "",
        "x" * 10_000,
        "'; drop table articles; --",
        "\\",
        "tram:*",
        "🚋 tram",
    ],
)
async def test_hostile_queries_never_error(api, query):
    await factories.published_article(api, title="Tram line approved")

    body = await api(SEARCH, {"q": query})

    assert "errors" not in body, body
    assert body["data"]["search"]["totalCount"] == len(body["data"]["search"]["edges"])


async def test_nul_is_a_request_error_as_in_any_string(api):
    body = await api(SEARCH, {"q": "tram\x00line"})

    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_REQUEST"]


async def test_control_characters_read_as_spaces(api):
    await factories.published_article(api, title="Tram line approved")

    assert await found(api, "tram\x01line\x7f") == ["tram-line-approved"]


async def test_stemming_follows_the_article_language(api):
    await factories.published_article(api, title="Running the city", locale="en")
    await factories.published_article(api, title="Les élections municipales", locale="fr-FR")
    await factories.published_article(api, title="서울 시장 선거", locale="ko")

    assert await found(api, "runs") == ["running-the-city"]
    assert await found(api, "élection") == ["les-elections-municipales"]
    # Korean has no stemmer here: its words are matched as they are (`simple`).
    assert len(await found(api, "선거")) == 1
    # An English stem does not match French text it would not stem to.
    assert await found(api, "élection", filter={"locale": "en"}) == []


async def test_headline_marks_matches_and_escapes_everything_else(api):
    await factories.published_article(
        api,
        title="Escaping",
        bodyMarkdown='Before <script>alert("x")</script> the vote &amp; a < b > c, with the vote counted.',
    )

    [edge] = (await api(SEARCH, {"q": "vote"}))["data"]["search"]["edges"]

    headline = edge["headline"]
    assert "<mark>vote</mark>" in headline
    unmarked = re.sub(r"</?mark>", "", headline)
    assert "<" not in unmarked
    assert ">" not in unmarked
    assert "&lt;" in unmarked


async def test_recency_weighs_in_the_rank(api):
    old = await factories.create_article(api, title="Harbour report", bodyMarkdown="Same words.")
    await factories.publish(api, old["id"], at="2020-01-01T00:00:00Z")
    await factories.published_article(api, title="Harbour report new", bodyMarkdown="Same words.")

    body = await api(SEARCH, {"q": "harbour report"})

    edges = body["data"]["search"]["edges"]
    assert [e["node"]["slug"] for e in edges] == ["harbour-report-new", "harbour-report"]
    assert edges[0]["rank"] > edges[1]["rank"] * 10


async def test_pages_are_stable_and_cover_every_hit(api):
    for i in range(7):
        await factories.published_article(api, title=f"Harbour story {i}", bodyMarkdown="harbour " * i)

    seen: list[str] = []
    after = None
    while True:
        body = await api(SEARCH, {"q": "harbour", "first": 3, "after": after})
        page = body["data"]["search"]
        assert page["totalCount"] == 7
        seen += [e["node"]["slug"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert len(seen) == 7
    assert len(set(seen)) == 7
    assert seen == await found(api, "harbour", first=10)


async def test_a_cursor_of_another_list_is_refused(api):
    await factories.published_article(api, title="Harbour")
    articles = await api("{ articles(first: 1) { pageInfo { endCursor } } }")

    body = await api(SEARCH, {"q": "harbour", "after": articles["data"]["articles"]["pageInfo"]["endCursor"]})

    assert body["data"] is None
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("after is not a cursor of this list", "INVALID")
    ]


async def test_visibility_as_articles(api):
    await factories.published_article(api, title="Harbour live")
    await factories.create_article(api, title="Harbour draft")
    scheduled = await factories.create_article(api, title="Harbour later")
    await factories.publish(api, scheduled["id"], at="2999-01-01T00:00:00Z")

    for role in (None, *Role):
        listed = await api("{ articles { edges { node { slug } } } }", role=role)
        expected = sorted(e["node"]["slug"] for e in listed["data"]["articles"]["edges"])
        assert sorted(await found(api, "harbour", role=role)) == expected, role
    assert await found(api, "harbour") == ["harbour-live"]
    assert sorted(await found(api, "harbour", role=Role.EDITOR)) == ["harbour-draft", "harbour-later", "harbour-live"]


async def test_filters_as_articles(api):
    world = await factories.section(api, "World")
    await factories.published_article(api, title="Harbour abroad", sectionId=world["id"])
    await factories.published_article(api, title="Harbour at home")

    assert await found(api, "harbour", filter={"sectionSlug": "world"}) == ["harbour-abroad"]


async def test_misspelled_title_falls_back_to_trigram_similarity(api):
    await factories.published_article(api, title="Parliament approves the budget")
    await factories.published_article(api, title="Weather")

    body = await api(SEARCH, {"q": "parliment"})

    edges = body["data"]["search"]["edges"]
    assert [e["node"]["slug"] for e in edges] == ["parliament-approves-the-budget"]
    assert edges[0]["headline"] == "Parliament approves the budget"
    assert body["data"]["search"]["totalCount"] == 1


async def test_fallback_keeps_visibility(api):
    await factories.create_article(api, title="Parliament approves the budget")

    assert await found(api, "parliment") == []
