from __future__ import annotations

from cms.vocabulary import Role
from tests import factories
from tests.graphql.taxonomy.operations import DELETE_TAG, READ_ARTICLE


async def tag_id(api, slug: str) -> str:
    return (await api("query($s: String!) { tag(slug: $s) { id } }", {"s": slug}, role=Role.EDITOR))["data"]["tag"][
        "id"
    ]


async def test_a_tag_in_use_is_a_conflict(api):
    await factories.create_article(api, title="Only one", tagSlugs=["budget"])

    body = await api(DELETE_TAG, {"id": await tag_id(api, "budget")}, role=Role.EDITOR)

    assert body["data"]["deleteTag"]["userErrors"] == [
        {
            "field": ["id"],
            "message": "this tag is used by 1 article ('Only one'): pass detach: true to take it off them",
            "code": "CONFLICT",
        }
    ]


async def test_detach_takes_it_off_and_keeps_the_other_tags(api):
    article = await factories.published_article(api, tagSlugs=["budget", "politics"])

    body = await api(DELETE_TAG, {"id": await tag_id(api, "budget"), "detach": True}, role=Role.EDITOR)

    assert body["data"]["deleteTag"]["userErrors"] == []
    after = await api(READ_ARTICLE, {"id": article["id"]})
    assert after["data"]["article"] == {"version": 3, "section": None, "tags": [{"slug": "politics"}]}
    assert (await api('{ tag(slug: "budget") { id } }', role=Role.EDITOR))["data"]["tag"] is None
