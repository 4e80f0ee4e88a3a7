from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cms.db import Media
from cms.vocabulary import Role
from tests import factories

CREATE = """
mutation($input: CreateMediaInput!) {
  createMedia(input: $input) {
    media { id url mimeType width height alt caption credit createdAt }
    userErrors { field message code }
  }
}
"""
UPDATE = """
mutation($id: ID!, $input: UpdateMediaInput!) {
  updateMedia(id: $id, input: $input) { media { alt caption credit } userErrors { field message code } }
}
"""
DELETE = "mutation($id: ID!) { deleteMedia(id: $id) { deletedId userErrors { field message code } } }"


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
    assert await session.scalar(select(func.count()).select_from(Media)) == 0


async def test_type_needed_when_url_does_not_tell(api):
    body = await api(CREATE, {"input": {"url": "https://img.example.com/render?id=1"}}, role=Role.EDITOR)
    assert body["data"]["createMedia"]["userErrors"] == [
        {
            "field": ["input", "mimeType"],
            "message": "mimeType is needed when the URL does not tell it",
            "code": "INVALID",
        }
    ]


async def test_update_changes_given_fields_and_null_clears(api):
    media = await factories.media(api, alt="Old alt", caption="Cap", credit="AFP")
    body = await api(UPDATE, {"id": media["id"], "input": {"alt": "New alt", "caption": None}}, role=Role.EDITOR)
    assert body["data"]["updateMedia"] == {
        "media": {"alt": "New alt", "caption": None, "credit": "AFP"},
        "userErrors": [],
    }


async def test_delete_leaves_articles_without_the_image(api):
    media = await factories.media(api)
    article = await factories.create_article(api, heroImageId=media["id"], body=[{"image": {"mediaId": media["id"]}}])

    body = await api(DELETE, {"id": media["id"]}, role=Role.EDITOR)

    assert body["data"]["deleteMedia"] == {"deletedId": media["id"], "userErrors": []}
    after = await api(
        "query($id: ID!) { article(id: $id) { heroImage { id } bodyHtml body { ... on ImageBlock { media { id } } } } }",
        {"id": article["id"]},
        role=Role.EDITOR,
    )
    assert after["data"]["article"] == {"heroImage": None, "bodyHtml": "", "body": [{"media": None}]}


async def test_lookup(api):
    media = await factories.media(api, alt="Alt")
    assert (await api("query($id: ID!) { media(id: $id) { alt } }", {"id": media["id"]}))["data"]["media"] == {
        "alt": "Alt"
    }
    missing = await api('{ media(id: "TWVkaWE6OTk5OTk=") { alt } }')
    assert missing["data"]["media"] is None


@pytest.mark.parametrize(
    ("role", "code"), [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN")], ids=["anonymous", "preview"]
)
async def test_readers_may_not_write_media(api, session, role, code):
    media = await factories.media(api)
    for query, variables in (
        (CREATE, {"input": {"url": "https://img.example.com/b.png"}}),
        (UPDATE, {"id": media["id"], "input": {"alt": "x"}}),
        (DELETE, {"id": media["id"]}),
    ):
        body = await api(query, variables, role=role)
        assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert await session.scalar(select(func.count()).select_from(Media)) == 1


async def test_authors_may_not_delete_media(api):
    media = await factories.media(api)
    body = await api(DELETE, {"id": media["id"]}, role=Role.AUTHOR)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
