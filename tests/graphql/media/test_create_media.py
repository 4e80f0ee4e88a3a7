from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests.graphql.audit.operations import Event, as_role, events_since, subject
from tests.graphql.media.operations import media_count

CREATE = """
mutation($input: CreateMediaInput!) {
  createMedia(input: $input) {
    media { id url mimeType width height alt caption credit createdAt }
    userErrors { field message code }
  }
}
"""


async def test_register_by_url_guesses_type(api):
    body = await api(
        CREATE,
        {
            "input": {
                "url": "https://img.example.com/x/photo.JPG",
                "width": 1600,
                "height": 900,
                "credit": "Shutterstock.com",
            }
        },
        role=Role.AUTHOR,
    )
    media = body["data"]["createMedia"]["media"]
    assert media["mimeType"] == "image/jpeg"
    assert (media["width"], media["height"], media["credit"]) == (1600, 900, "Shutterstock.com")


async def test_bad_input_reports_every_problem(api, session):
    body = await api(
        CREATE, {"input": {"url": "file:///etc/passwd", "mimeType": "nonsense", "width": 0}}, role=Role.EDITOR
    )
    assert body["data"]["createMedia"] == {
        "media": None,
        "userErrors": [
            {"field": ["input", "url"], "message": "url must be an absolute http or https URL", "code": "INVALID"},
            {"field": ["input", "mimeType"], "message": "mimeType must look like image/jpeg", "code": "INVALID"},
            {"field": ["input", "width"], "message": "width must be between 1 and 100000 pixels", "code": "INVALID"},
        ],
    }
    assert await media_count(session) == 0
    assert await events_since(session, 0) == []


async def test_type_needed_when_url_does_not_tell(api):
    body = await api(CREATE, {"input": {"url": "https://img.example.com/render?id=1"}}, role=Role.EDITOR)
    assert body["data"]["createMedia"]["userErrors"] == [
        {
            "field": ["input", "mimeType"],
            "message": "mimeType is needed when the URL does not tell it",
            "code": "INVALID",
        }
    ]


@pytest.mark.parametrize(
    ("role", "code"), [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN")], ids=["anonymous", "preview"]
)
async def test_readers_may_not_create_media(api, session, role, code):
    body = await api(CREATE, {"input": {"url": "https://img.example.com/b.png"}}, role=role)

    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert await media_count(session) == 0


async def test_create_records_who_registered_which_url(api, session):
    body = await api(CREATE, {"input": {"url": "https://img.example.com/a.jpg", "alt": "A"}}, role=Role.AUTHOR)

    media = body["data"]["createMedia"]["media"]
    assert await events_since(session, 0) == [
        Event(
            "media.create",
            await as_role(session, Role.AUTHOR),
            subject(media["id"]),
            detail={"url": "https://img.example.com/a.jpg"},
        )
    ]
