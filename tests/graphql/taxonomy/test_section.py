from __future__ import annotations

from tests import factories


async def test_a_section_page_in_one_query(api):
    world = await factories.section(api, "World")
    for i in range(3):
        await factories.published_article(api, title=f"Story {i}", sectionId=world["id"], tagSlugs=["news"])
    await factories.published_article(api, title="Elsewhere")

    body = await api(
        """{ section(slug: "world") { name description articles(first: 2) { totalCount
              edges { node { title section { slug } } } pageInfo { hasNextPage endCursor } } } }"""
    )

    section = body["data"]["section"]
    assert (section["name"], section["description"]) == ("World", None)
    assert section["articles"]["totalCount"] == 3
    assert [e["node"]["title"] for e in section["articles"]["edges"]] == ["Story 2", "Story 1"]
    assert section["articles"]["pageInfo"]["hasNextPage"] is True
    rest = await api(
        'query($after: String!) { section(slug: "world") { articles(first: 2, after: $after) { totalCount edges { node { title } } pageInfo { hasNextPage } } } }',
        {"after": section["articles"]["pageInfo"]["endCursor"]},
    )
    assert rest["data"]["section"]["articles"] == {
        "totalCount": 3,
        "edges": [{"node": {"title": "Story 0"}}],
        "pageInfo": {"hasNextPage": False},
    }


async def test_section_articles_take_the_filters_and_orders_of_articles(api):
    world = await factories.section(api, "World")
    for title, tags in (("Bravo", ["eu"]), ("Alpha", ["eu"]), ("Charlie", [])):
        await factories.published_article(api, title=title, sectionId=world["id"], tagSlugs=tags)

    body = await api(
        """{ section(slug: "world") { articles(filter: {tagSlugs: ["eu"]}, orderBy: {field: TITLE, direction: ASC}) {
              totalCount edges { node { title } } } } }"""
    )

    assert body["data"]["section"]["articles"] == {
        "totalCount": 2,
        "edges": [{"node": {"title": "Alpha"}}, {"node": {"title": "Bravo"}}],
    }


async def test_a_bad_cursor_fails_only_its_own_list(api):
    # Both pages load in one batch; the bad one must not take the good one down with it.
    for name in ("World", "Arts"):
        section = await factories.section(api, name)
        await factories.published_article(api, sectionId=section["id"])

    body = await api(
        '{ good: section(slug: "world") { articles { totalCount } } '
        'bad: section(slug: "arts") { articles(after: "nope") { totalCount } } }'
    )

    assert body["data"] == {"good": {"articles": {"totalCount": 1}}, "bad": None}
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [(["bad", "articles"], "INVALID")]


async def test_lookups_take_exactly_one_of_id_and_slug(api):
    body = await api('{ section(id: "U2VjdGlvbjox", slug: "world") { slug } }')
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("give exactly one of id and slug", "INVALID")
    ]
