"""One format for every instant the API returns: RFC 3339, UTC, milliseconds."""

from __future__ import annotations

import re

from cms.vocabulary import Role
from tests import factories

INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


async def test_every_instant_is_utc_with_milliseconds(api):
    article = await factories.create_article(api)
    await factories.publish(api, article["id"], "2026-03-01T09:30:00.123456+02:00")
    token = await api(
        'mutation { createApiToken(input: {name: "t", role: PREVIEW, expiresAt: "2999-01-01T00:00:00+05:30"}) '
        "{ apiToken { createdAt expiresAt } } }",
        role=Role.ADMIN,
    )

    body = await api("query($id: ID!) { article(id: $id) { publishedAt createdAt updatedAt } }", {"id": article["id"]})

    times = body["data"]["article"]
    assert times["publishedAt"] == "2026-03-01T07:30:00.123Z"
    assert all(INSTANT.match(t) for t in times.values()), times
    api_token = token["data"]["createApiToken"]["apiToken"]
    assert api_token["expiresAt"] == "2998-12-31T18:30:00.000Z"
    assert INSTANT.match(api_token["createdAt"])


async def test_instants_read_back_are_accepted_as_input(api):
    article = await factories.create_article(api)
    await factories.publish(api, article["id"], "2026-03-01T09:30:00.123+02:00")
    read = await api("query($id: ID!) { article(id: $id) { publishedAt } }", {"id": article["id"]})
    published = read["data"]["article"]["publishedAt"]
    count = "query($t: DateTime!) { before: articles(filter: {publishedBefore: $t}) { totalCount } after: articles(filter: {publishedAfter: $t}) { totalCount } }"

    body = await api(count, {"t": published})

    assert published == "2026-03-01T07:30:00.123Z"
    assert body == {"data": {"before": {"totalCount": 0}, "after": {"totalCount": 1}}}


async def test_a_malformed_instant_is_a_bad_request(api):
    response = await api.post(
        "query($t: DateTime!) { articles(filter: {publishedBefore: $t}) { totalCount } }", {"t": "yesterday"}
    )
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["BAD_REQUEST"]
