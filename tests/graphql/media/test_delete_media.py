from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests import factories
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.media.operations import media_count

DELETE = "mutation($id: ID!) { deleteMedia(id: $id) { deletedId userErrors { field message code } } }"


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


@pytest.mark.parametrize(
    ("role", "code"), [(None, "UNAUTHENTICATED"), (Role.PREVIEW, "FORBIDDEN")], ids=["anonymous", "preview"]
)
async def test_readers_may_not_delete_media(api, session, role, code):
    media = await factories.media(api)

    body = await api(DELETE, {"id": media["id"]}, role=role)

    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert await media_count(session) == 1


async def test_authors_may_not_delete_media(api, session):
    media = await factories.create(
        api, "createMedia", {"url": "https://img.example.com/a.jpg"}, "media", role=Role.AUTHOR
    )

    since = await mark(session)

    body = await api(DELETE, {"id": media["id"]}, role=Role.AUTHOR)

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert await media_count(session) == 1
    assert await events_since(session, since) == []


async def test_delete_records_which_url_went(api, session):
    media = await factories.media(api, url="https://img.example.com/gone.jpg")
    since = await mark(session)

    await api(DELETE, {"id": media["id"]}, role=Role.EDITOR)

    assert await events_since(session, since) == [
        Event(
            "media.delete",
            await as_role(session, Role.EDITOR),
            subject(media["id"]),
            detail={"url": "https://img.example.com/gone.jpg"},
        )
    ]
