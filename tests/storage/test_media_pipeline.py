"""The media pipeline on each store: an upload stored, served, rendered and deleted with its
renditions, the same on a folder and on an S3 bucket."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from cms.vocabulary import Role
from tests.graphql.media.operations import photo, uploaded


@pytest.fixture
def media_storage(storage):
    """The app under test keeps its media in each store in turn."""
    return storage


async def test_upload_serve_render_delete(api, client, storage):
    media = await uploaded(api, photo((400, 300)))
    body = await api(
        "query($id: ID!) { media(id: $id) { renditionUrl(width: 100, format: WEBP) } }", {"id": media["id"]}
    )
    rendition_url = body["data"]["media"]["renditionUrl"]

    original = await client.get(media["url"])
    rendition = await client.get(rendition_url)

    assert (original.status_code, len(original.content)) == (200, media["sizeBytes"])
    assert Image.open(io.BytesIO(rendition.content)).size == (100, 75)
    assert len([f async for f in storage.files()]) == 2

    deleted = await api(
        "mutation($id: ID!) { deleteMedia(id: $id) { userErrors { code } } }", {"id": media["id"]}, role=Role.EDITOR
    )

    assert deleted["data"]["deleteMedia"]["userErrors"] == []
    assert [f async for f in storage.files()] == []
    assert (await client.get(media["url"])).status_code == 404
