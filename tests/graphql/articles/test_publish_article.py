from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from cms.vocabulary import Role
from tests import factories
from tests.factories import PUBLISH
from tests.graphql.articles.workflow import PUBLISH as PUBLISH_UNTIL
from tests.graphql.articles.workflow import run

READ = "query($id: ID!) { article(id: $id) { id status publishedAt } }"


async def test_publishes_now(api):
    article = await factories.create_article(api)
    before = datetime.now(UTC)

    published = await factories.publish(api, article["id"])

    assert published["status"] == "PUBLISHED"
    assert published["version"] == 2
    assert datetime.fromisoformat(published["publishedAt"]) <= before + timedelta(seconds=5)
    anonymous = await api(READ, {"id": article["id"]})
    assert anonymous["data"]["article"]["status"] == "PUBLISHED"


async def test_past_time_backdates(api):
    article = await factories.create_article(api)
    published = await factories.publish(api, article["id"], "2020-03-01T08:21:00+01:00")
    assert published["status"] == "PUBLISHED"
    assert datetime.fromisoformat(published["publishedAt"]) == datetime(2020, 3, 1, 7, 21, tzinfo=UTC)


async def test_publish_time_keeps_its_instant_across_time_zones(api):
    article = await factories.create_article(api)
    await factories.publish(api, article["id"], "2024-06-01T08:21:00+09:00")

    body = await api(READ, {"id": article["id"]})

    read_back = datetime.fromisoformat(body["data"]["article"]["publishedAt"])
    assert read_back == datetime.fromisoformat("2024-05-31T23:21:00+00:00")


async def test_time_without_zone_is_refused(api):
    article = await factories.create_article(api)
    body = await api(PUBLISH, {"id": article["id"], "at": "2024-06-01T08:21:00"}, role=Role.EDITOR)
    assert body["data"]["publishArticle"]["userErrors"] == [
        {"field": ["publishAt"], "message": "publishAt needs a time zone offset", "code": "INVALID"}
    ]


async def test_future_time_schedules_and_goes_live_at_that_instant(api):
    article = await factories.create_article(api)
    at = datetime.now(UTC) + timedelta(seconds=1.5)

    scheduled = await factories.publish(api, article["id"], at.isoformat())

    assert scheduled["status"] == "SCHEDULED"
    assert (await api(READ, {"id": article["id"]}))["data"]["article"] is None
    preview = await api(READ, {"id": article["id"]}, role=Role.PREVIEW)
    assert preview["data"]["article"]["status"] == "SCHEDULED"
    # No job runs: the instant passing is all it takes.
    await asyncio.sleep((at - datetime.now(UTC)).total_seconds() + 0.2)
    live = await api(READ, {"id": article["id"]})
    assert live["data"]["article"]["status"] == "PUBLISHED"


async def test_republishing_a_live_article_keeps_its_time(api):
    article = await factories.create_article(api)
    first = await factories.publish(api, article["id"], "2021-01-01T00:00:00Z")
    again = await factories.publish(api, article["id"])
    assert again["publishedAt"] == first["publishedAt"]


async def test_unknown_article_is_not_found(api):
    body = await api(PUBLISH, {"id": "QXJ0aWNsZTo5OTk5OQ=="}, role=Role.EDITOR)
    assert body["data"]["publishArticle"]["userErrors"] == [
        {"field": ["id"], "message": "no such article", "code": "NOT_FOUND"}
    ]


@pytest.mark.parametrize(
    ("role", "code"),
    [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN"), (Role.AUTHOR, "FORBIDDEN")],
    ids=["anonymous", "preview", "author"],
)
async def test_only_editors_publish(api, role, code):
    article = await factories.create_article(api, role=Role.AUTHOR)
    body = await api(PUBLISH, {"id": article["id"]}, role=role)
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert (await api(READ, {"id": article["id"]}, role=Role.EDITOR))["data"]["article"]["status"] == "DRAFT"


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN], ids=lambda r: r.value)
async def test_editors_publish(api, role):
    article = await factories.create_article(api)
    body = await api(PUBLISH, {"id": article["id"]}, role=role)
    assert body["data"]["publishArticle"]["article"]["status"] == "PUBLISHED"


async def test_an_embargo_end_hides_it_again_by_itself(api):
    article = await factories.create_article(api, title="Until")
    until = (datetime.now(UTC) + timedelta(seconds=1.5)).isoformat()

    payload = await run(api, PUBLISH_UNTIL, {"id": article["id"], "until": until})
    live = await api(READ, {"id": article["id"]})
    await asyncio.sleep(2)
    after = await api(READ, {"id": article["id"]})
    editor = await api(READ, {"id": article["id"]}, role=Role.EDITOR)

    assert payload["userErrors"] == []
    assert payload["article"]["unpublishAt"] is not None
    assert live["data"]["article"]["status"] == "PUBLISHED"
    assert after["data"]["article"] is None
    assert editor["data"]["article"]["status"] == "DRAFT"


@pytest.mark.parametrize(
    ("at", "until", "message"),
    [
        (None, "2020-01-01T00:00:00Z", "unpublishAt must lie ahead, after the publish time"),
        ("2999-01-02T00:00:00Z", "2999-01-01T00:00:00Z", "unpublishAt must come after publishAt"),
        (None, "2999-01-01T00:00:00", "unpublishAt needs a time zone offset"),
    ],
    ids=["past", "before-publish", "no-zone"],
)
async def test_a_bad_embargo_end_is_refused_and_nothing_written(api, at, until, message):
    article = await factories.create_article(api)

    payload = await run(api, PUBLISH_UNTIL, {"id": article["id"], "at": at, "until": until})

    assert payload == {
        "article": None,
        "userErrors": [{"field": ["unpublishAt"], "message": message, "code": "INVALID"}],
    }
    assert (await api(READ, {"id": article["id"]}, role=Role.EDITOR))["data"]["article"]["status"] == "DRAFT"
