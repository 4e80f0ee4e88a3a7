from __future__ import annotations

from tests import factories


async def test_author_articles_page_through(api):
    author = await factories.author(api, "Prolific")
    for i in range(5):
        await factories.published_article(api, title=f"Piece {i}", authorIds=[author["id"]])
    query = """
    query($after: String) { author(slug: "prolific") { articles(first: 2, after: $after) {
        totalCount edges { node { slug } } pageInfo { hasNextPage endCursor } } } }
    """
    seen, after = [], None
    while True:
        page = (await api(query, {"after": after}))["data"]["author"]["articles"]
        assert page["totalCount"] == 5
        seen += [e["node"]["slug"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [f"piece-{i}" for i in reversed(range(5))]


async def test_author_articles_page_size_is_checked(api):
    await factories.author(api, "Prolific")
    body = await api('{ author(slug: "prolific") { articles(first: 101) { totalCount } } }')
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("first must be between 0 and 100", "INVALID")
    ]
