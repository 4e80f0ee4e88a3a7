from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from cms.graphql.ids import decode_id
from cms.services import trending_scores, views
from cms.vocabulary import Role
from tests import factories
from tests.graphql.trending.operations import CREATE_TRENDING_LIST, SET_TRENDING_PINS

READ = 'query($first: Int) { trendingList(slug: "hot") { slug title entries(first: $first) { rank pinned article { slug } } } }'


async def test_unknown_slug_is_null(api):
    body = await api('{ trendingList(slug: "nope") { slug } }')
    assert body == {"data": {"trendingList": None}}


async def test_entries_leave_out_what_the_caller_may_not_see(api):
    await api(CREATE_TRENDING_LIST, {"input": {"title": "Hot"}}, role=Role.EDITOR)
    draft = await factories.published_article(api, title="Draft")
    live = await factories.published_article(api, title="Live")
    await api(SET_TRENDING_PINS, {"slug": "hot", "ids": [draft["id"], live["id"]]}, role=Role.EDITOR)
    # Pinned while published, then taken back to draft: still pinned, hidden from readers.
    await api(
        "mutation($id: ID!) { unpublishArticle(id: $id) { userErrors { code } } }",
        {"id": draft["id"]},
        role=Role.EDITOR,
    )

    anonymous = await api(READ)
    editor = await api(READ, role=Role.EDITOR)

    assert anonymous["data"]["trendingList"] == {
        "slug": "hot",
        "title": "Hot",
        "entries": [{"rank": 1, "pinned": True, "article": {"slug": "live"}}],
    }
    assert editor["data"]["trendingList"]["entries"] == [
        {"rank": 1, "pinned": True, "article": {"slug": "draft"}},
        {"rank": 2, "pinned": True, "article": {"slug": "live"}},
    ]


async def test_entries_page_size_is_checked(api):
    await api(CREATE_TRENDING_LIST, {"input": {"title": "Hot"}}, role=Role.EDITOR)

    body = await api(READ, {"first": 51})

    assert body["data"] == {"trendingList": None}
    assert [(e["message"], e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("first must be between 0 and 50", ["trendingList", "entries"], "INVALID")
    ]


COMPUTED = """query($first: Int) { trendingList(slug: "hot") {
  window section { slug } entries(first: $first) { rank pinned score article { slug } } } }"""


async def read_a_lot(session, article_id: str, reads: int, minutes_ago: int = 1) -> None:
    now = (await session.execute(select(func.date_trunc("minute", func.now())))).scalar_one()
    await views.add_counts(session, [(decode_id(article_id, "Article"), now - timedelta(minutes=minutes_ago), reads)])


async def test_pins_first_then_the_most_read_with_their_scores(api, session):
    await api(CREATE_TRENDING_LIST, {"input": {"title": "Hot", "window": "HOUR"}}, role=Role.EDITOR)
    pinned = await factories.published_article(api, title="Pinned")
    most = await factories.published_article(api, title="Most")
    less = await factories.published_article(api, title="Less")
    await factories.published_article(api, title="Unread")
    await api(SET_TRENDING_PINS, {"slug": "hot", "ids": [pinned["id"]]}, role=Role.EDITOR)
    for article, reads in ((pinned, 500), (most, 40), (less, 10)):
        await read_a_lot(session, article["id"], reads)
    await trending_scores.refresh(session)

    body = await api(COMPUTED)

    entries = body["data"]["trendingList"]["entries"]
    assert [(e["rank"], e["pinned"], e["article"]["slug"]) for e in entries] == [
        (1, True, "pinned"),
        (2, False, "most"),
        (3, False, "less"),
    ]
    assert entries[0]["score"] is None
    assert entries[1]["score"] > entries[2]["score"] > 0
    assert body["data"]["trendingList"]["window"] == "HOUR"
    assert (await api(COMPUTED, {"first": 2}))["data"]["trendingList"]["entries"][1]["article"]["slug"] == "most"


async def test_a_section_list_computes_from_its_section_only(api, session):
    world = await factories.section(api, "World")
    await api(CREATE_TRENDING_LIST, {"input": {"title": "Hot", "sectionId": world["id"]}}, role=Role.EDITOR)
    inside = await factories.published_article(api, title="Inside", sectionId=world["id"])
    outside = await factories.published_article(api, title="Outside")
    await read_a_lot(session, inside["id"], 5)
    await read_a_lot(session, outside["id"], 50)
    await trending_scores.refresh(session)

    body = await api(COMPUTED)

    assert body["data"]["trendingList"]["section"] == {"slug": "world"}
    assert [e["article"]["slug"] for e in body["data"]["trendingList"]["entries"]] == ["inside"]


async def test_scores_are_read_not_computed_when_a_list_is_read(api, session, statements):
    await api(CREATE_TRENDING_LIST, {"input": {"title": "Hot"}}, role=Role.EDITOR)
    article = await factories.published_article(api)
    await read_a_lot(session, article["id"], 5)
    await trending_scores.refresh(session)
    statements.clear()

    await api(COMPUTED)

    assert not [s for s in statements if "article_views" in s]
