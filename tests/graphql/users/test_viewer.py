from __future__ import annotations

from tests.graphql.users.operations import VIEWER


async def test_anonymous_viewer(api):
    assert (await api(VIEWER))["data"]["viewer"] == {"role": None, "user": None}
