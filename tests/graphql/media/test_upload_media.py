"""uploadMedia: the GraphQL multipart request, as clients send it; the type decided by the bytes;
metadata removed; the same bytes stored once; nothing left behind by a refusal."""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image
from sqlalchemy import select

from cms.config import Settings
from cms.db import AuditEvent, Media
from cms.vocabulary import Role
from tests.graphql.media.operations import UPLOAD, media_count, photo, upload, upload_response, uploaded

ORIGINAL_URL = re.compile(r"^http://cms\.test/media/originals/[0-9a-f]{32}\.(jpg|png|webp|avif|gif)$")


async def stored_keys(media_storage) -> list[str]:
    return sorted([f.key async for f in media_storage.files()])


async def test_an_editor_uploads_a_photo_and_it_is_served(api, client, media_storage):
    media = await uploaded(api, photo((640, 480)), input={"alt": "A red square", "credit": "Reuters"})

    assert ORIGINAL_URL.match(media["url"]), media["url"]
    assert {k: media[k] for k in ("mimeType", "width", "height", "alt", "credit", "focalPoint")} == {
        "mimeType": "image/jpeg",
        "width": 640,
        "height": 480,
        "alt": "A red square",
        "credit": "Reuters",
        "focalPoint": None,
    }
    assert len(media["blurhash"]) >= 6
    served = await client.get(media["url"])
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert len(served.content) == media["sizeBytes"]
    assert Image.open(io.BytesIO(served.content)).size == (640, 480)
    assert await stored_keys(media_storage) == [media["url"].removeprefix("http://cms.test/media/")]


@pytest.mark.parametrize(
    ("fmt", "mime", "extension"),
    [
        ("JPEG", "image/jpeg", "jpg"),
        ("PNG", "image/png", "png"),
        ("WEBP", "image/webp", "webp"),
        ("AVIF", "image/avif", "avif"),
        ("GIF", "image/gif", "gif"),
    ],
)
async def test_the_type_is_decided_by_the_bytes_not_the_name(api, fmt, mime, extension):
    media = await uploaded(api, photo(fmt=fmt), filename="notes.txt", content_type="text/plain")

    assert media["mimeType"] == mime
    assert media["url"].endswith(f".{extension}")
    assert (media["width"], media["height"]) == (64, 48)


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


@pytest.mark.parametrize(
    "data",
    [SVG, HTML, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", photo((300, 200))[:400], b""],
    ids=["svg-with-script", "html-renamed-jpg", "pdf", "truncated-jpeg", "zero-bytes"],
)
async def test_what_is_not_an_accepted_image_is_refused_and_nothing_is_kept(api, session, media_storage, data):
    payload = await upload(api, data, filename="photo.jpg", content_type="image/jpeg")

    assert payload["media"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["file"], "INVALID")]
    assert await media_count(session) == 0
    assert await stored_keys(media_storage) == []


class TestLimits:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(database_url="postgresql://unused", max_image_pixels=10_000, max_upload_bytes=200_000)

    async def test_too_many_pixels_are_refused_before_decoding(self, api, session, media_storage):
        payload = await upload(api, photo((200, 100), fmt="PNG"))

        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["file"], "INVALID")]
        assert "pixels" in payload["userErrors"][0]["message"]
        assert await media_count(session) == 0
        assert await stored_keys(media_storage) == []

    async def test_a_body_over_the_upload_limit_is_refused_while_it_streams(self, api, session, media_storage):
        noise = Image.effect_noise((600, 600), 100).convert("RGB")
        out = io.BytesIO()
        noise.save(out, "PNG")
        assert len(out.getvalue()) > 200_000

        response = await upload_response(api.client, out.getvalue(), token=api.tokens[Role.EDITOR])

        assert response.status_code == 413
        assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
        assert await media_count(session) == 0
        assert await stored_keys(media_storage) == []


async def test_without_a_preflight_header_nothing_is_uploaded(api, session, media_storage):
    response = await upload_response(api.client, photo(), token=api.tokens[Role.EDITOR], headers={})

    assert response.status_code == 400
    assert await media_count(session) == 0
    assert await stored_keys(media_storage) == []


async def test_the_same_bytes_uploaded_again_give_the_same_media(api, media_storage):
    data = photo((120, 80))
    first = await uploaded(api, data, input={"alt": "first"})
    again = await uploaded(api, data, input={"alt": "second"}, role=Role.AUTHOR)

    assert again == first
    assert len(await stored_keys(media_storage)) == 1


async def test_location_and_camera_metadata_never_reach_readers(api, client):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)})  # GPS
    media = await uploaded(api, photo((80, 60), exif=exif.tobytes()))

    served = (await client.get(media["url"])).content
    assert not Image.open(io.BytesIO(served)).getexif()
    assert b"PhoneMaker" not in served
    assert b"Exif\x00\x00" not in served


async def test_the_credit_in_the_photo_fills_in_for_a_missing_one(api):
    exif = Image.Exif()
    exif[0x8298] = "Jane Doe/Reuters"  # Copyright
    tagged = photo((90, 60), exif=exif.tobytes())

    media = await uploaded(api, tagged)

    assert media["credit"] == "Jane Doe/Reuters"


async def test_a_focal_point_is_kept_and_checked(api, session, media_storage):
    media = await uploaded(api, photo(), input={"focalPoint": {"x": 0.25, "y": 0.75}})
    refused = await upload(api, photo(color=(0, 0, 255)), input={"focalPoint": {"x": 1.5, "y": 0.5}})

    assert media["focalPoint"] == {"x": 0.25, "y": 0.75}
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [(["input", "focalPoint"], "INVALID")]
    assert await media_count(session) == 1
    assert len(await stored_keys(media_storage)) == 1


async def test_a_file_variable_sent_as_json_is_refused(api, session):
    body = await api(UPLOAD, {"file": "photo.jpg"}, role=Role.EDITOR)

    assert body["data"]["uploadMedia"]["userErrors"] == [
        {"field": ["file"], "message": "send the file as a part of a GraphQL multipart request", "code": "INVALID"}
    ]
    assert await media_count(session) == 0


async def test_a_rolled_back_operation_takes_its_file_with_it(api, client, session, media_storage):
    # Mutations run in order in one transaction: the refused second one rolls back the first.
    document = """mutation($file: Upload!) {
      uploadMedia(file: $file) { userErrors { code } }
      deleteUser(id: "VXNlcjox") { userErrors { code } }
    }"""
    operations = {"query": document, "variables": {"file": None}}
    response = await client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"1": ["variables.file"]})},
        files={"1": ("photo.jpg", photo(), "image/jpeg")},
        headers={"Apollo-Require-Preflight": "true", "Authorization": f"Bearer {api.tokens[Role.EDITOR]}"},
    )

    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["FORBIDDEN"]
    assert await media_count(session) == 0
    assert await stored_keys(media_storage) == []


async def test_an_upload_is_recorded_in_the_audit_log(api, session):
    media = await uploaded(api, photo(), role=Role.AUTHOR)

    event = (await session.scalars(select(AuditEvent).where(AuditEvent.action == "media.upload"))).one()
    row = (await session.scalars(select(Media))).one()
    assert (event.subject_type, event.subject_id) == ("Media", row.id)
    assert event.detail == {"bytes": media["sizeBytes"]}
