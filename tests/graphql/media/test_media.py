from __future__ import annotations

from tests import factories


async def test_lookup(api):
    media = await factories.media(api, alt="Alt")
    assert (await api("query($id: ID!) { media(id: $id) { alt } }", {"id": media["id"]}))["data"]["media"] == {
        "alt": "Alt"
    }
    missing = await api('{ media(id: "TWVkaWE6OTk5OTk=") { alt } }')
    assert missing["data"]["media"] is None
