from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.trending.operations import MOVE_PIN, list_id, pinned_list, slugs


@pytest.mark.parametrize(
    ("article", "rank", "order"),
    [("c", 1, ["c", "a", "b"]), ("a", 3, ["b", "c", "a"]), ("b", 2, ["a", "b", "c"])],
    ids=["to-top", "to-bottom", "in-place"],
)
async def test_moves_one_pin(api, article, rank, order):
    ids = await pinned_list(api, "A", "B", "C")

    body = await api(MOVE_PIN, {"slug": "hot", "id": ids[article], "rank": rank}, role=Role.EDITOR)

    assert slugs(body, "moveTrendingPin") == order


async def test_a_rank_past_the_end_is_invalid(api):
    ids = await pinned_list(api, "A", "B")

    body = await api(MOVE_PIN, {"slug": "hot", "id": ids["a"], "rank": 3}, role=Role.EDITOR)

    assert body["data"]["moveTrendingPin"]["userErrors"] == [
        {"field": ["rank"], "message": "rank must be between 1 and 2", "code": "INVALID"}
    ]


async def test_moving_records_where_from_and_where_to(api, session):
    ids = await pinned_list(api, "A", "B", "C")
    since = await mark(session)

    await api(MOVE_PIN, {"slug": "hot", "id": ids["c"], "rank": 1}, role=Role.EDITOR)

    assert await events_since(session, since) == [
        Event(
            "trending_list.pins",
            await as_role(session, Role.EDITOR),
            subject(await list_id(api)),
            detail={"change": "move", "articleId": subject(ids["c"])[1], "from": 3, "to": 1},
        )
    ]
