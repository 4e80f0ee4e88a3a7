from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests import factories
from tests.graphql.users.operations import make_user

NODE = """
query($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Article { title } ... on Author { name } ... on Media { url } ... on Section { name }
    ... on Tag { slug } ... on TrendingList { title }
  }
}
"""


async def test_resolves_each_public_type(api):
    author = await factories.author(api, "Ann")
    media = await factories.media(api)
    section = await factories.section(api, "World")
    # A section and a tag exist for readers once a published article uses them.
    article = await factories.published_article(api, title="Story", tagSlugs=["news"], sectionId=section["id"])
    tags = (await api("{ tags { id } }"))["data"]["tags"]
    trending = await api(
        'mutation { createTrendingList(input: {title: "Hot"}) { trendingList { id } } }', role=Role.EDITOR
    )

    cases = [
        (author["id"], "Author", {"name": "Ann"}),
        (media["id"], "Media", {"url": "https://img.example.com/a.jpg"}),
        (section["id"], "Section", {"name": "World"}),
        (article["id"], "Article", {"title": "Story"}),
        (tags[0]["id"], "Tag", {"slug": "news"}),
        (trending["data"]["createTrendingList"]["trendingList"]["id"], "TrendingList", {"title": "Hot"}),
    ]
    for global_id, typename, fields in cases:
        body = await api(NODE, {"id": global_id})
        assert body["data"]["node"] == {"__typename": typename, "id": global_id, **fields}


async def test_missing_object_is_null(api):
    assert (await api(NODE, {"id": "QXV0aG9yOjk5OTk5"}))["data"]["node"] is None


@pytest.mark.parametrize(
    ("value", "message"),
    [("garbage", "id: not a valid ID"), ("V2lkZ2V0OjE=", "id: no object type is called Widget")],
    ids=["garbage", "unknown-type"],
)
async def test_bad_ids_are_invalid(api, value, message):
    body = await api(NODE, {"id": value})
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [(message, "INVALID")]


async def test_other_users_are_hidden_from_non_admins(api):
    created = await make_user(api)
    query = "query($id: ID!) { node(id: $id) { ... on User { name email } } }"
    assert (await api(query, {"id": created["user"]["id"]}, role=Role.EDITOR))["data"]["node"] is None
    assert (await api(query, {"id": created["user"]["id"]}, role=Role.ADMIN))["data"]["node"] == {
        "name": "Ed",
        "email": "editor@example.com",
    }
