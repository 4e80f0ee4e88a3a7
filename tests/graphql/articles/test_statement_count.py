"""A page of articles with all its relations costs the same statements at any size."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.services import authors, media, taxonomy
from cms.services.articles import commands, inputs
from cms.services.errors import Problems
from cms.vocabulary import Role

PAGE = """
query($first: Int!) {
  articles(first: $first) {
    edges { node {
      id title slug standfirst status publishedAt readingTimeMinutes
      authors { name slug avatar { url } } heroImage { url alt credit } section { name slug } tags { slug name }
      sources { name url }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
EDITOR = Viewer(role=Role.EDITOR)


async def newsroom(session: AsyncSession, count: int) -> None:
    photo = await media.create_media(
        session, Problems(), EDITOR, media.MediaFields(url="https://img.example.com/p.jpg")
    )
    writers = [
        await authors.create_author(session, Problems(), authors.AuthorFields(name=f"Writer {i}", avatar_id=photo.id))
        for i in range(3)
    ]
    desks = [await taxonomy.create_section(session, Problems(), name=f"Desk {i}", slug=None) for i in range(3)]
    for i in range(count):
        fields = inputs.ArticleFields(
            title=f"Story {i}",
            author_ids=[writers[i % 3].id, writers[(i + 1) % 3].id],
            hero_image_id=photo.id,
            section_id=desks[i % 3].id,
            tag_slugs=[f"t{i % 5}", "news"],
            sources=[{"name": "Reuters", "url": None}],
            body_markdown="Some words here.",
        )
        article = await commands.create_article(session, Problems(), EDITOR, fields)
        await commands.publish_article(session, EDITOR, article.id, None)
    await session.commit()


def sql(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))]


@pytest.mark.parametrize("size", [1, 10, 100])
async def test_fixed_number_of_statements(api, session, statements, size):
    await newsroom(session, 100)
    statements.clear()

    body = await api(PAGE, {"first": size})

    assert len(body["data"]["articles"]["edges"]) == size
    queries = sql(statements)
    # articles, bylines, media (hero images and avatars together), sections, tags
    assert len(queries) == 5, queries
    assert all("body" not in q.split("FROM")[0] for q in queries), "list views must not fetch bodies"


async def test_authors_with_their_articles_and_counts_cost_fixed_statements(api, session, statements):
    await newsroom(session, 30)
    query = """
    { authors(first: 3) { totalCount edges { node { name
        articles(first: 5) { totalCount edges { node { title tags { slug } authors { name } } } pageInfo { hasNextPage } }
    } } } }
    """
    statements.clear()

    body = await api(query)

    authors = body["data"]["authors"]
    assert authors["totalCount"] == 4  # the three writers and the API fixture's own author
    pages = [e["node"]["articles"] for e in authors["edges"]]
    # "Own Author" sorts first and has no articles; each writer has a byline on 20 of the 30.
    assert [p["totalCount"] for p in pages] == [0, 20, 20]
    assert [len(p["edges"]) for p in pages] == [0, 5, 5]
    assert [p["pageInfo"]["hasNextPage"] for p in pages] == [False, True, True]
    # authors, their count, every author's first page at once, tags, bylines
    assert len(sql(statements)) == 5, sql(statements)


async def test_counts_and_relations_resolve_side_by_side(api, session):
    await newsroom(session, 12)
    body = await api("{ articles(first: 12) { totalCount edges { node { authors { name } tags { slug } } } } }")
    assert "errors" not in body
    assert body["data"]["articles"]["totalCount"] == 12


async def test_section_and_tag_pages_of_articles_cost_fixed_statements(api, session, statements):
    await newsroom(session, 30)
    query = """
    { sections { name articles(first: 4) { totalCount edges { node { title authors { name } tags { slug } } } } }
      tags { slug articles(first: 2, orderBy: {field: TITLE, direction: ASC}) { edges { node { title } } } } }
    """
    statements.clear()

    body = await api(query)

    sections = body["data"]["sections"]
    assert [s["articles"]["totalCount"] for s in sections] == [10, 10, 10]
    assert all(len(s["articles"]["edges"]) == 4 for s in sections)
    assert len(body["data"]["tags"]) == 6
    # sections, tags, every section's page at once, every tag's page at once, bylines, tags
    assert len(sql(statements)) == 6, sql(statements)
