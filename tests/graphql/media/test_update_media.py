from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests import factories
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject

UPDATE = """
mutation($id: ID!, $input: UpdateMediaInput!) {
  updateMedia(id: $id, input: $input) { media { alt caption credit } userErrors { field message code } }
}
"""


async def test_update_changes_given_fields_and_null_clears(api):
    media = await factories.media(api, alt="Old alt", caption="Cap", credit="AFP")
    body = await api(UPDATE, {"id": media["id"], "input": {"alt": "New alt", "caption": None}}, role=Role.EDITOR)
    assert body["data"]["updateMedia"] == {
        "media": {"alt": "New alt", "caption": None, "credit": "AFP"},
        "userErrors": [],
    }


@pytest.mark.parametrize(
    ("role", "code"), [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN")], ids=["anonymous", "preview"]
)
async def test_readers_may_not_update_media(api, role, code):
    media = await factories.media(api, alt="Kept alt")

    body = await api(UPDATE, {"id": media["id"], "input": {"alt": "x"}}, role=role)

    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    # An update adds or removes no rows, so a row count could not tell; read the media back.
    read = await api("query($id: ID!) { media(id: $id) { alt } }", {"id": media["id"]})
    assert read["data"]["media"] == {"alt": "Kept alt"}


async def test_an_author_changes_the_media_they_registered(api):
    mine = await factories.create(
        api, "createMedia", {"url": "https://img.example.com/mine.jpg", "alt": "Mine"}, "media", role=Role.AUTHOR
    )

    body = await api(UPDATE, {"id": mine["id"], "input": {"credit": "Own photo"}}, role=Role.AUTHOR)

    assert body["data"]["updateMedia"] == {
        "media": {"alt": "Mine", "caption": None, "credit": "Own photo"},
        "userErrors": [],
    }


async def test_an_author_may_not_change_media_someone_else_registered(api, session):
    theirs = await factories.media(api, alt="Theirs")
    since = await mark(session)

    body = await api(UPDATE, {"id": theirs["id"], "input": {"alt": "Mine now"}}, role=Role.AUTHOR)

    assert body["data"] is None
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("authors may change only media they registered", "FORBIDDEN")
    ]
    read = await api("query($id: ID!) { media(id: $id) { alt } }", {"id": theirs["id"]})
    assert read["data"]["media"] == {"alt": "Theirs"}
    assert await events_since(session, since) == []


async def test_an_undecodable_id_is_invalid_once(api):
    body = await api(UPDATE, {"id": "nope", "input": {"alt": "x"}}, role=Role.EDITOR)
    assert body["data"]["updateMedia"] == {
        "media": None,
        "userErrors": [{"field": ["id"], "message": "id: not a valid ID", "code": "INVALID"}],
    }


async def test_update_records_the_fields_it_changed(api, session):
    media = await factories.media(api, alt="Old alt", caption="Cap", credit="AFP")
    since = await mark(session)

    # The credit is given as it is: not a change.
    await api(
        UPDATE, {"id": media["id"], "input": {"alt": "New alt", "caption": None, "credit": "AFP"}}, role=Role.EDITOR
    )

    assert await events_since(session, since) == [
        Event("media.update", await as_role(session, Role.EDITOR), subject(media["id"]), ["alt", "caption"])
    ]
