from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests import factories
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.trending.operations import CREATE_TRENDING_LIST as CREATE
from tests.graphql.trending.operations import SET_TRENDING_PINS as PIN
from tests.graphql.trending.operations import list_id


async def test_create_and_pin_in_order(api):
    created = await api(CREATE, {"input": {"title": "Trending Now"}}, role=Role.EDITOR)
    assert created["data"]["createTrendingList"]["trendingList"]["slug"] == "trending-now"
    a = await factories.published_article(api, title="A")
    b = await factories.published_article(api, title="B")

    body = await api(PIN, {"slug": "trending-now", "ids": [b["id"], a["id"]]}, role=Role.EDITOR)

    entries = body["data"]["setTrendingPins"]["trendingList"]["entries"]
    assert entries == [
        {"rank": 1, "pinned": True, "article": {"slug": "b"}},
        {"rank": 2, "pinned": True, "article": {"slug": "a"}},
    ]
    read = await api('{ trendingList(slug: "trending-now") { title entries(first: 1) { rank article { slug } } } }')
    assert read["data"]["trendingList"] == {"title": "Trending Now", "entries": [{"rank": 1, "article": {"slug": "b"}}]}
    lists = await api("{ trendingLists { slug } }")
    assert lists["data"]["trendingLists"] == [{"slug": "trending-now"}]


async def test_pins_are_replaced(api):
    await api(CREATE, {"input": {"title": "Hot"}}, role=Role.EDITOR)
    a = await factories.published_article(api, title="A")
    b = await factories.published_article(api, title="B")
    await api(PIN, {"slug": "hot", "ids": [a["id"], b["id"]]}, role=Role.EDITOR)
    body = await api(PIN, {"slug": "hot", "ids": [b["id"]]}, role=Role.EDITOR)
    assert [e["article"]["slug"] for e in body["data"]["setTrendingPins"]["trendingList"]["entries"]] == ["b"]


async def test_bad_pins_report_every_problem_and_change_nothing(api, session):
    await api(CREATE, {"input": {"title": "Hot"}}, role=Role.EDITOR)
    a = await factories.published_article(api, title="A")
    await api(PIN, {"slug": "hot", "ids": [a["id"]]}, role=Role.EDITOR)
    since = await mark(session)

    body = await api(PIN, {"slug": "hot", "ids": [a["id"], a["id"], "QXJ0aWNsZTo5OTk5OQ==", "bad"]}, role=Role.EDITOR)

    assert body["data"]["setTrendingPins"]["userErrors"] == [
        {"field": ["articleIds", "3"], "message": "articleIds[3]: not a valid ID", "code": "INVALID"},
        {"field": ["articleIds"], "message": "an article is pinned twice", "code": "INVALID"},
        {"field": ["articleIds", "2"], "message": "no such article", "code": "NOT_FOUND"},
    ]
    read = await api('{ trendingList(slug: "hot") { entries { article { slug } } } }')
    assert read["data"]["trendingList"]["entries"] == [{"article": {"slug": "a"}}]
    assert await events_since(session, since) == []


async def test_unknown_list_is_not_found(api):
    body = await api(PIN, {"slug": "nope", "ids": []}, role=Role.EDITOR)
    assert body["data"]["setTrendingPins"]["userErrors"] == [
        {"field": ["slug"], "message": "no such trending list", "code": "NOT_FOUND"}
    ]


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.AUTHOR, "FORBIDDEN")],
    ids=["anonymous", "preview", "author"],
)
async def test_only_editors_set_pins(api, role, code):
    await api(CREATE, {"input": {"title": "Hot"}}, role=Role.EDITOR)
    a = await factories.published_article(api, title="A")

    body = await api(PIN, {"slug": "hot", "ids": [a["id"]]}, role=role)

    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert (await api("{ trendingLists { slug entries { rank } } }"))["data"]["trendingLists"] == [
        {"slug": "hot", "entries": []}
    ]


async def test_only_what_readers_can_see_may_be_pinned(api):
    await api(CREATE, {"input": {"title": "Hot"}}, role=Role.EDITOR)
    live = await factories.published_article(api, title="Live")
    draft = await factories.create_article(api, title="Draft")
    scheduled = await factories.create_article(api, title="Scheduled")
    await factories.publish(api, scheduled["id"], "2999-01-01T00:00:00Z")

    body = await api(PIN, {"slug": "hot", "ids": [live["id"], draft["id"], scheduled["id"]]}, role=Role.EDITOR)

    message = "only published articles can be pinned: readers cannot see this one"
    assert body["data"]["setTrendingPins"]["userErrors"] == [
        {"field": ["articleIds", "1"], "message": message, "code": "INVALID"},
        {"field": ["articleIds", "2"], "message": message, "code": "INVALID"},
    ]


async def test_setting_pins_records_them_in_order(api, session):
    await api(CREATE, {"input": {"title": "Hot"}}, role=Role.EDITOR)
    a = await factories.published_article(api, title="A")
    b = await factories.published_article(api, title="B")
    since = await mark(session)

    await api(PIN, {"slug": "hot", "ids": [b["id"], a["id"]]}, role=Role.EDITOR)

    assert await events_since(session, since) == [
        Event(
            "trending_list.pins",
            await as_role(session, Role.EDITOR),
            subject(await list_id(api)),
            detail={"change": "set", "articleIds": [subject(b["id"])[1], subject(a["id"])[1]]},
        )
    ]
