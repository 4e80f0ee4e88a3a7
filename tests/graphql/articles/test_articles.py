from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cms.vocabulary import Role
from tests import factories

LIST = """
query($first: Int, $after: String, $filter: ArticleFilter, $order: ArticleOrder) {
  articles(first: $first, after: $after, filter: $filter, orderBy: $order) {
    totalCount
    edges { cursor node { slug } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""
BASE = datetime(2026, 1, 1, tzinfo=UTC)


async def slugs(api, role=None, **variables) -> list[str]:
    body = await api(LIST, variables, role=role)
    assert "errors" not in body, body
    return [e["node"]["slug"] for e in body["data"]["articles"]["edges"]]


async def walk(api, page: int, role=None, between=None, **variables) -> list[str]:
    """Every slug of a list, page by page; `between` runs after the first page."""
    seen: list[str] = []
    after = None
    while True:
        body = await api(LIST, {"first": page, "after": after, **variables}, role=role)
        connection = body["data"]["articles"]
        seen += [e["node"]["slug"] for e in connection["edges"]]
        assert connection["pageInfo"]["hasPreviousPage"] is False
        if connection["edges"]:
            assert connection["pageInfo"]["endCursor"] == connection["edges"][-1]["cursor"]
        if not connection["pageInfo"]["hasNextPage"]:
            return seen
        after = connection["pageInfo"]["endCursor"]
        if between is not None:
            await between()
            between = None


async def make_published(api, count: int) -> list[str]:
    """`count` articles published an hour apart, returned newest first."""
    made = []
    for i in range(count):
        article = await factories.create_article(api, title=f"Story {i:02d}")
        await factories.publish(api, article["id"], (BASE + timedelta(hours=i)).isoformat())
        made.append(article["slug"])
    return made[::-1]


async def test_walks_pages_without_gaps_or_repeats(api):
    expected = await make_published(api, 12)
    assert await walk(api, 5) == expected


async def test_walk_is_stable_when_articles_are_added_meanwhile(api):
    expected = await make_published(api, 10)

    async def publish_more():
        newest = await factories.create_article(api, title="Breaking")
        await factories.publish(api, newest["id"])  # above the first page: not seen on this walk
        middle = await factories.create_article(api, title="Late filing")
        await factories.publish(api, middle["id"], (BASE + timedelta(hours=2, minutes=30)).isoformat())

    seen = await walk(api, 4, between=publish_more)

    assert len(seen) == len(set(seen))
    assert [s for s in seen if s != "late-filing"] == expected
    assert seen.index("late-filing") == expected.index("story-02")


@pytest.mark.parametrize(
    ("field", "direction"),
    [("TITLE", "ASC"), ("TITLE", "DESC"), ("PUBLISHED_AT", "ASC"), ("UPDATED_AT", "DESC")],
    ids=lambda v: v.lower(),
)
async def test_every_ordering_walks_completely(api, field, direction):
    await make_published(api, 6)
    draft = await factories.create_article(api, title="A draft")
    order = {"field": field, "direction": direction}

    seen = await walk(api, 4, role=Role.EDITOR, order=order)
    full = await slugs(api, role=Role.EDITOR, first=100, order=order)

    assert seen == full
    assert sorted(seen) == sorted([*(f"story-{i:02d}" for i in range(6)), draft["slug"]])


async def test_drafts_sort_after_published_articles_newest_first(api):
    await make_published(api, 2)
    await factories.create_article(api, title="Unpublished")
    assert await slugs(api, role=Role.EDITOR) == ["story-01", "story-00", "unpublished"]


async def test_title_order(api):
    for title in ("Banana", "apple", "Cherry"):
        await factories.published_article(api, title=title)
    assert await slugs(api, order={"field": "TITLE", "direction": "ASC"}) == ["banana", "cherry", "apple"]


async def test_total_count_and_default_page_size(api):
    await make_published(api, 22)
    body = await api(LIST, {})
    connection = body["data"]["articles"]
    assert connection["totalCount"] == 22
    assert len(connection["edges"]) == 20
    assert connection["pageInfo"]["hasNextPage"] is True


async def test_filters(api):
    jane = await factories.author(api, "Jane Roe")
    world = await factories.section(api, "World")
    a = await factories.create_article(api, title="Both tags", tagSlugs=["x", "y"], authorIds=[jane["id"]])
    b = await factories.create_article(api, title="One tag", tagSlugs=["x"], sectionId=world["id"])
    await factories.publish(api, a["id"], "2025-01-01T00:00:00Z")
    await factories.publish(api, b["id"], "2025-06-01T00:00:00Z")
    await factories.create_article(api, title="Draft", tagSlugs=["x", "y"])

    assert await slugs(api, filter={"tagSlugs": ["x", "y"]}) == ["both-tags"]
    assert await slugs(api, filter={"tagSlugs": ["x"]}) == ["one-tag", "both-tags"]
    assert await slugs(api, filter={"authorSlug": "jane-roe"}) == ["both-tags"]
    assert await slugs(api, filter={"sectionSlug": "world"}) == ["one-tag"]
    assert await slugs(api, filter={"sectionSlug": "nowhere"}) == []
    assert await slugs(api, filter={"publishedAfter": "2025-03-01T00:00:00Z"}) == ["one-tag"]
    assert await slugs(api, filter={"publishedBefore": "2025-03-01T01:00:00+01:00"}) == ["both-tags"]
    assert await slugs(api, role=Role.EDITOR, filter={"status": ["DRAFT"]}) == ["draft"]
    assert await slugs(api, role=Role.EDITOR, filter={"status": ["DRAFT", "PUBLISHED"], "tagSlugs": ["y"]}) == [
        "both-tags",
        "draft",
    ]
    # A status filter never widens what a caller may see.
    assert await slugs(api, filter={"status": ["DRAFT"]}) == []


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"first": 101}, "first must be between 0 and 100"),
        ({"first": -1}, "first must be between 0 and 100"),
        ({"after": "garbage"}, "after is not a cursor of this list"),
    ],
    ids=["too-many", "negative", "bad-cursor"],
)
async def test_bad_paging_is_invalid(api, variables, message):
    body = await api(LIST, variables)
    assert body["data"] is None
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [(message, "INVALID")]


async def test_filter_times_need_a_zone(api):
    body = await api(LIST, {"filter": {"publishedAfter": "2025-01-01T00:00:00"}})
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("publishedAfter needs a time zone offset", "INVALID")
    ]


async def test_cursor_of_another_ordering_is_invalid(api):
    await make_published(api, 2)
    first = await api(LIST, {"first": 1})
    cursor = first["data"]["articles"]["pageInfo"]["endCursor"]

    body = await api(LIST, {"first": 1, "after": cursor, "order": {"field": "TITLE", "direction": "ASC"}})

    assert body["errors"][0]["extensions"]["code"] == "INVALID"
