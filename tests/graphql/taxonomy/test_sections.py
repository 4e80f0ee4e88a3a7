from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests import factories


async def test_sections_are_listed_by_name(api):
    # Made out of name order, so a list in the order of creation would fail.
    for name in ("World", "Arts", "Sport"):
        await factories.section(api, name)

    body = await api("{ sections { slug name } }", role=Role.EDITOR)

    assert body["data"]["sections"] == [
        {"slug": "arts", "name": "Arts"},
        {"slug": "sport", "name": "Sport"},
        {"slug": "world", "name": "World"},
    ]


ROLES = [None, Role.PREVIEW, Role.AUTHOR, Role.EDITOR, Role.ADMIN]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
async def test_readers_see_only_sections_that_articles_they_may_read_use(api, role):
    live, scheduled, drafted, own, empty = [
        await factories.section(api, name) for name in ("Live", "Scheduled", "Drafted", "Own", "Empty")
    ]
    await factories.published_article(api, sectionId=live["id"])
    embargoed = await factories.create_article(api, sectionId=scheduled["id"])
    await factories.publish(api, embargoed["id"], "2999-01-01T00:00:00Z")
    await factories.create_article(api, sectionId=drafted["id"])
    await factories.create_article(api, role=Role.AUTHOR, sectionId=own["id"])

    listed = await api("{ sections { slug } }", role=role)
    looked_up = [
        (await api("query($s: String!) { section(slug: $s) { slug } }", {"s": slug}, role=role))["data"]["section"]
        for slug in ("live", "scheduled", "drafted", "own", "empty")
    ]
    by_node = [
        (await api("query($id: ID!) { node(id: $id) { id } }", {"id": s["id"]}, role=role))["data"]["node"]
        for s in (live, scheduled, drafted, own, empty)
    ]

    expected = {
        None: ["live"],
        Role.AUTHOR: ["live", "own"],
    }.get(role, ["drafted", "empty", "live", "own", "scheduled"])
    assert [s["slug"] for s in listed["data"]["sections"]] == expected
    assert sorted(s["slug"] for s in looked_up if s) == expected
    assert sum(1 for n in by_node if n) == len(expected)
