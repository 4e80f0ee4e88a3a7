from __future__ import annotations

from cms.vocabulary import Role
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.trending.operations import DELETE_TRENDING_LIST, list_id, pinned_list


async def test_deletes_the_list_and_its_pins_not_the_articles(api):
    ids = await pinned_list(api, "A")
    list_id = (await api('{ trendingList(slug: "hot") { id } }'))["data"]["trendingList"]["id"]

    body = await api(DELETE_TRENDING_LIST, {"id": list_id}, role=Role.EDITOR)

    assert body["data"]["deleteTrendingList"] == {"deletedId": list_id, "userErrors": []}
    assert (await api("{ trendingLists { slug } }"))["data"]["trendingLists"] == []
    article = await api("query($id: ID!) { article(id: $id) { slug } }", {"id": ids["a"]})
    assert article["data"]["article"] == {"slug": "a"}


async def test_delete_records_which_list_went(api, session):
    await pinned_list(api, "A")
    hot = await list_id(api)
    since = await mark(session)

    await api(DELETE_TRENDING_LIST, {"id": hot}, role=Role.EDITOR)

    assert await events_since(session, since) == [
        Event(
            "trending_list.delete",
            await as_role(session, Role.EDITOR),
            subject(hot),
            detail={"title": "Hot", "slug": "hot"},
        )
    ]
