"""A page of articles with all its relations costs the same statements at any size."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from cms.db import Article, ArticleAuthor, ArticleTag, Author, Media, Section, Tag

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


async def newsroom(session: AsyncSession, count: int) -> None:
    """`count` published articles with every relation a page shows, written in bulk (this file is
    about reading them: the commands that write them are tested elsewhere)."""
    photo = await session.scalar(
        insert(Media).values(url="https://img.example.com/p.jpg", mime_type="image/jpeg").returning(Media.id)
    )
    writers = (
        await session.scalars(
            insert(Author)
            .values([{"name": f"Writer {i}", "slug": f"writer-{i}", "avatar_id": photo} for i in range(3)])
            .returning(Author.id)
        )
    ).all()
    desks = (
        await session.scalars(
            insert(Section).values([{"name": f"Desk {i}", "slug": f"desk-{i}"} for i in range(3)]).returning(Section.id)
        )
    ).all()
    tags = (
        await session.scalars(
            insert(Tag)
            .values([{"name": f"T{i}", "slug": f"t{i}"} for i in range(5)] + [{"name": "News", "slug": "news"}])
            .returning(Tag.id)
        )
    ).all()
    body = [{"type": "paragraph", "html": "Some words here."}]
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    ids = (
        await session.scalars(
            insert(Article)
            .values(
                [
                    {
                        "title": f"Story {i}",
                        "slug": f"story-{i}",
                        "status": "PUBLISHED",
                        "published_at": hour_ago + timedelta(seconds=i),
                        "hero_image_id": photo,
                        "section_id": desks[i % 3],
                        "sources": [{"name": "Reuters", "url": None}],
                        "body": body,
                        "word_count": 3,
                    }
                    for i in range(count)
                ]
            )
            .returning(Article.id)
        )
    ).all()
    await session.execute(
        insert(ArticleAuthor),
        [
            {"article_id": a, "author_id": writers[(i + k) % 3], "position": k}
            for i, a in enumerate(ids)
            for k in range(2)
        ],
    )
    await session.execute(
        insert(ArticleTag),
        [
            {"article_id": a, "tag_id": t, "position": k}
            for i, a in enumerate(ids)
            for k, t in enumerate([tags[i % 5], tags[5]])
        ],
    )
    await session.commit()


def sql(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))]


@pytest.mark.parametrize("size", [1, 10, 100])
async def test_fixed_number_of_statements(resolver_api, session, statements, size):
    await newsroom(session, 100)
    statements.clear()

    body = await resolver_api(PAGE, {"first": size})

    assert len(body["data"]["articles"]["edges"]) == size
    queries = sql(statements)
    # articles, bylines, media (hero images and avatars together), sections, tags
    assert len(queries) == 5, queries
    assert all("body" not in q.split("FROM")[0] for q in queries), "list views must not fetch bodies"


@pytest.mark.parametrize("size", [1, 10, 100])
async def test_one_statement_when_compiled(api, resolver_api, app, session, statements, size):
    await newsroom(session, 100)
    statements.clear()

    body = await api(PAGE, {"first": size})

    registry = app.state.metrics.registry
    # One statement, through the driver: none through SQLAlchemy (no BEGIN, no COMMIT either).
    assert registry.get_sample_value("cms_compiled_reads_total") == 1
    assert registry.get_sample_value("cms_sql_statement_duration_seconds_count") == 1
    assert sql(statements) == []
    assert len(body["data"]["articles"]["edges"]) == size
    assert body == await resolver_api(PAGE, {"first": size})


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
