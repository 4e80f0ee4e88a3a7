from __future__ import annotations

import pytest

from cms.vocabulary import Role
from tests import factories
from tests.graphql.audit.operations import Event, as_role, events_since, mark, subject
from tests.graphql.media.operations import media_count, photo, uploaded

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


FORCE = "mutation($id: ID!) { deleteMedia(id: $id, force: true) { deletedId userErrors { field message code } } }"


@pytest.mark.parametrize(
    "shown",
    [lambda m: {"heroImageId": m}, lambda m: {"body": [{"image": {"mediaId": m}}]}],
    ids=["hero-image", "body-image"],
)
async def test_media_a_published_article_shows_is_kept_unless_forced(api, session, shown):
    media = await factories.media(api)
    await factories.published_article(api, title="Live story", **shown(media["id"]))
    await factories.create_article(api, title="A draft", **shown(media["id"]))

    refused = await api(DELETE, {"id": media["id"]}, role=Role.EDITOR)
    forced = await api(FORCE, {"id": media["id"]}, role=Role.EDITOR)

    assert refused["data"]["deleteMedia"] == {
        "deletedId": None,
        "userErrors": [
            {
                "field": ["id"],
                "message": "a published article shows this media ('Live story'): pass force: true to delete it all the same",
                "code": "CONFLICT",
            }
        ],
    }
    assert forced["data"]["deleteMedia"] == {"deletedId": media["id"], "userErrors": []}
    assert await media_count(session) == 0


async def test_media_only_drafts_show_is_deleted_at_once(api, session):
    media = await factories.media(api)
    await factories.create_article(api, heroImageId=media["id"])

    body = await api(DELETE, {"id": media["id"]}, role=Role.EDITOR)

    assert body["data"]["deleteMedia"]["userErrors"] == []
    assert await media_count(session) == 0


async def test_an_uploads_files_and_renditions_go_with_it(api, client, media_storage):
    media = await uploaded(api, photo((300, 200)))
    other = await uploaded(api, photo((300, 200), color=(0, 90, 0)))
    for media_id in (media["id"], other["id"]):
        body = await api("query($id: ID!) { media(id: $id) { renditionUrl(width: 50) } }", {"id": media_id})
        assert (await client.get(body["data"]["media"]["renditionUrl"])).status_code == 200
    kept = sorted([f.key async for f in media_storage.files() if other["url"].rsplit("/", 1)[1] in f.key])

    body = await api(DELETE, {"id": media["id"]}, role=Role.EDITOR)

    assert body["data"]["deleteMedia"]["userErrors"] == []
    assert sorted([f.key async for f in media_storage.files()]) == kept
    assert len(kept) == 2
    assert (await client.get(media["url"])).status_code == 404


async def test_a_refused_delete_keeps_the_files(api, media_storage):
    media = await uploaded(api)
    await factories.published_article(api, heroImageId=media["id"])

    await api(DELETE, {"id": media["id"]}, role=Role.EDITOR)

    assert len([f async for f in media_storage.files()]) == 1
