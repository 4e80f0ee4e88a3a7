from __future__ import annotations

from tests import factories


async def test_lookups_and_pages(api):
    for name in ("Carla", "alice", "Bob"):
        await factories.author(api, name)
    body = await api("{ authors(first: 2) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }")
    page = body["data"]["authors"]
    assert page["totalCount"] == 4  # with the API fixture's own author
    rest = await api(
        "query($after: String) { authors(first: 10, after: $after) { edges { node { name } } pageInfo { hasNextPage } } }",
        {"after": page["pageInfo"]["endCursor"]},
    )
    names = [e["node"]["name"] for e in page["edges"] + rest["data"]["authors"]["edges"]]
    assert names == ["Bob", "Carla", "Own Author", "alice"]
    assert rest["data"]["authors"]["pageInfo"]["hasNextPage"] is False
    by_slug = await api('{ author(slug: "bob") { name } }')
    assert by_slug["data"]["author"] == {"name": "Bob"}
