from __future__ import annotations

from tests import factories


async def test_sections_are_listed_by_name(api):
    # Made out of name order, so a list in the order of creation would fail.
    for name in ("World", "Arts", "Sport"):
        await factories.section(api, name)

    body = await api("{ sections { slug name } }")

    assert body["data"]["sections"] == [
        {"slug": "arts", "name": "Arts"},
        {"slug": "sport", "name": "Sport"},
        {"slug": "world", "name": "World"},
    ]
