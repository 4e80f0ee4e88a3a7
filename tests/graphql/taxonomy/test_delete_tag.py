from __future__ import annotations

from cms.vocabulary import Role
from tests import factories
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.taxonomy.operations import DELETE_TAG, READ_ARTICLE


async def tag_id(api, slug: str) -> str:
    return (await api("query($s: String!) { tag(slug: $s) { id } }", {"s": slug}, role=Role.EDITOR))["data"]["tag"][
        "id"
    ]


async def test_a_tag_in_use_is_a_conflict(api, session):
    await factories.create_article(api, title="Only one", tagSlugs=["budget"])
    since = await mark(session)

    body = await api(DELETE_TAG, {"id": await tag_id(api, "budget")}, role=Role.EDITOR)

    assert body["data"]["deleteTag"]["userErrors"] == [
        {
            "field": ["id"],
            "message": "this tag is used by 1 article ('Only one'): pass detach: true to take it off them",
            "code": "CONFLICT",
        }
    ]
    assert await events_since(session, since) == []


async def test_detach_takes_it_off_and_keeps_the_other_tags(api, session):
    article = await factories.published_article(api, tagSlugs=["budget", "politics"])
    await factories.create_article(api, title="Another", tagSlugs=["budget"])
    budget = await tag_id(api, "budget")
    since = await mark(session)

    body = await api(DELETE_TAG, {"id": budget, "detach": True}, role=Role.EDITOR)

    assert body["data"]["deleteTag"]["userErrors"] == []
    after = await api(READ_ARTICLE, {"id": article["id"]})
    assert after["data"]["article"] == {"version": 3, "section": None, "tags": [{"slug": "politics"}]}
    assert (await api('{ tag(slug: "budget") { id } }', role=Role.EDITOR))["data"]["tag"] is None
    assert await events_since(session, since) == [
        Event(
            "tag.delete",
            await as_role(session, Role.EDITOR),
            subject(budget),
            detail={"name": "Budget", "slug": "budget", "articlesDetached": 2},
        )
    ]
