"""/media: uploads and their renditions served as browsers and CDNs expect; renditions made on
first request, once, and only at URLs the API signed."""

from __future__ import annotations

import asyncio
import io
import secrets

import httpx
import pytest
from PIL import Image
from sqlalchemy import insert

from cms.app import create_app
from cms.config import Settings
from cms.db import ApiToken
from cms.db.engine import make_engine, make_sessionmaker
from cms.db.migrate import upgrade
from cms.services.tokens import digest
from cms.storage.local import LocalStorage
from cms.vocabulary import Role
from tests import factories
from tests.conftest import Api
from tests.graphql.media.operations import photo, uploaded

RENDITION = """query($id: ID!, $width: Int, $height: Int, $format: ImageFormat) {
  media(id: $id) { renditionUrl(width: $width, height: $height, format: $format) } }"""
SRCSET = """query($id: ID!, $widths: [Int!], $format: ImageFormat) {
  media(id: $id) { srcset(widths: $widths, format: $format) } }"""


class CountingStorage(LocalStorage):
    """A folder that counts what is stored in it."""

    puts: list[str]

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        self.puts.append(key)
        await super().put(key, data, content_type)


@pytest.fixture
def media_storage(tmp_path) -> CountingStorage:
    storage = CountingStorage(tmp_path / "media")
    storage.puts = []
    return storage


def halves(size: tuple[int, int] = (400, 200)) -> bytes:
    """Red on the left half, blue on the right."""
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


async def rendition_url(api, media_id: str, **ask) -> str:
    body = await api(RENDITION, {"id": media_id, **ask})
    assert "errors" not in body, body
    url: str = body["data"]["media"]["renditionUrl"]
    return url


async def fetch(client, url: str, **headers):
    return await client.get(url, headers=headers)


def decoded(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


@pytest.mark.parametrize(
    ("ask", "size", "fmt"),
    [
        ({"width": 200}, (200, 150), "JPEG"),
        ({"height": 60, "format": "WEBP"}, (80, 60), "WEBP"),
        ({"width": 100, "height": 100, "format": "PNG"}, (100, 100), "PNG"),
        ({"width": 160, "format": "AVIF"}, (160, 120), "AVIF"),
        ({"width": 5000}, (640, 480), "JPEG"),
        ({"width": 1000, "height": 500}, (640, 320), "JPEG"),
    ],
    ids=["width", "height-webp", "square-crop-png", "avif", "never-upscaled", "crop-never-upscaled"],
)
async def test_renditions_come_at_the_size_and_format_asked(api, client, ask, size, fmt):
    media = await uploaded(api, photo((640, 480)))

    response = await fetch(client, await rendition_url(api, media["id"], **ask))

    assert response.status_code == 200
    image = decoded(response.content)
    assert (image.format, image.size) == (fmt, size)
    assert response.headers["content-type"] == Image.MIME[fmt]


@pytest.mark.parametrize(("focal", "color"), [((0.1, 0.5), (255, 0, 0)), ((0.9, 0.5), (0, 0, 255))])
async def test_a_crop_keeps_the_focal_point_in_view(api, client, focal, color):
    media = await uploaded(api, halves(), input={"focalPoint": {"x": focal[0], "y": focal[1]}})

    response = await fetch(client, await rendition_url(api, media["id"], width=100, height=100, format="PNG"))

    image = decoded(response.content).convert("RGB")
    assert image.size == (100, 100)
    assert {image.getpixel((x, y)) for x in (5, 50, 95) for y in (5, 95)} == {color}


async def test_moving_the_focal_point_makes_new_urls(api):
    media = await uploaded(api, halves())
    before = await rendition_url(api, media["id"], width=100, height=100)

    await api(
        "mutation($id: ID!) { updateMedia(id: $id, input: {focalPoint: {x: 0.9, y: 0.5}}) { userErrors { code } } }",
        {"id": media["id"]},
        role=Role.EDITOR,
    )

    assert await rendition_url(api, media["id"], width=100, height=100) != before
    assert await rendition_url(api, media["id"], width=100) == (await rendition_url(api, media["id"], width=100))


async def test_a_srcset_lists_each_width_up_to_the_uploads_own(api, client):
    media = await uploaded(api, photo((700, 350)))

    body = await api(SRCSET, {"id": media["id"], "widths": [1280, 320, 640, 320], "format": "WEBP"})

    candidates = [c.rsplit(" ", 1) for c in body["data"]["media"]["srcset"].split(", ")]
    assert [w for _, w in candidates] == ["320w", "640w", "700w"]
    for url, width in candidates:
        image = decoded((await fetch(client, url)).content)
        assert (image.format, image.width) == ("WEBP", int(width[:-1]))


async def test_the_default_srcset_and_sides_out_of_range(api, settings):
    media = await uploaded(api, photo((5000, 10)))

    default = await api(SRCSET, {"id": media["id"]})
    wide = await rendition_url(api, media["id"], width=100_000)
    narrow = await rendition_url(api, media["id"], width=1)

    widths = [c.rsplit(" ", 1)[1] for c in default["data"]["media"]["srcset"].split(", ")]
    assert widths == ["320w", "640w", "960w", "1280w", "1920w", "2560w"]
    assert f"/w{settings.rendition_max_width}." in wide
    assert f"/w{settings.rendition_min_width}." in narrow


@pytest.mark.parametrize(
    ("query", "variables"),
    [(RENDITION, {"width": 0}), (RENDITION, {"height": -5}), (SRCSET, {"widths": [0]}), (SRCSET, {"widths": [1] * 21})],
    ids=["zero-width", "negative-height", "zero-in-srcset", "too-many-widths"],
)
async def test_no_size_is_a_coded_error(api, query, variables):
    media = await uploaded(api)

    body = await api(query, {"id": media["id"], **variables})

    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID"]


async def test_media_linked_by_url_are_not_resized(api):
    media = await factories.media(api, url="https://img.example.com/a.jpg", width=800)

    body = await api(
        """query($id: ID!) { media(id: $id) { url renditionUrl(width: 200) srcset blurhash sizeBytes } }""",
        {"id": media["id"]},
    )

    assert body["data"]["media"] == {
        "url": "https://img.example.com/a.jpg",
        "renditionUrl": "https://img.example.com/a.jpg",
        "srcset": "https://img.example.com/a.jpg 800w",
        "blurhash": None,
        "sizeBytes": None,
    }


@pytest.mark.parametrize(
    "change",
    [
        lambda url: url.replace("/media/r/", "/media/r/A"),
        lambda url: url.replace("/w200.", "/w201."),
        lambda url: url.replace(".jpg", ".png"),
        lambda url: url.rsplit("/", 1)[0] + "/w200-h200-f500x500.jpg",
    ],
    ids=["signature", "width", "format", "crop"],
)
async def test_only_urls_the_api_signed_are_rendered(api, client, media_storage, change):
    media = await uploaded(api, photo((640, 480)))
    url = await rendition_url(api, media["id"], width=200, format="JPEG")

    response = await fetch(client, change(url))

    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert [k for k in media_storage.puts if k.startswith("renditions/")] == []


async def test_two_first_requests_make_the_rendition_once_across_servers(scratch_url, media_storage):
    # Two app instances on one database and one storage, as two replicas; each request on a
    # connection of its own, as in production.
    engine = make_engine(scratch_url)
    try:
        await upgrade(engine)
        sessionmaker = make_sessionmaker(engine)
        secret = "cms_test_editor_" + secrets.token_hex(8)
        async with sessionmaker() as session, session.begin():
            await session.execute(
                insert(ApiToken).values(name="editor", role="EDITOR", secret_hash=digest(secret), kind="api")
            )
        settings = Settings(database_url=scratch_url)
        clients = [
            httpx.AsyncClient(
                transport=httpx.ASGITransport(
                    app=create_app(settings, sessionmaker=sessionmaker, engine=engine, storage=media_storage)
                ),
                base_url="http://cms.test",
            )
            for _ in range(2)
        ]
        api = Api(clients[0], {Role.EDITOR: secret})
        media = await uploaded(api, photo((1200, 900)))
        url = await rendition_url(api, media["id"], width=300, format="WEBP")

        first, second = await asyncio.gather(fetch(clients[0], url), fetch(clients[1], url))
        third = await fetch(clients[1], url)

        assert first.status_code == second.status_code == third.status_code == 200
        assert first.content == second.content == third.content
        renditions = [k for k in media_storage.puts if k.startswith("renditions/")]
        assert renditions == ["renditions/" + url.split("/media/r/", 1)[1].split("/", 1)[1]]
        for client in clients:
            await client.aclose()
    finally:
        await engine.dispose()


async def test_files_are_served_with_caching_and_safety_headers(api, client):
    media = await uploaded(api)

    for url in (media["url"], await rendition_url(api, media["id"], width=32)):
        response = await fetch(client, url)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
        assert response.headers["accept-ranges"] == "bytes"
        etag = response.headers["etag"]
        revalidated = await fetch(client, url, **{"If-None-Match": etag})
        assert (revalidated.status_code, revalidated.content) == (304, b"")


async def test_ranges_of_a_file(api, client):
    media = await uploaded(api, photo((300, 300)))
    whole = (await fetch(client, media["url"])).content
    size = len(whole)

    first = await fetch(client, media["url"], Range="bytes=0-99")
    tail = await fetch(client, media["url"], Range="bytes=-10")
    beyond = await fetch(client, media["url"], Range=f"bytes={size}-")
    stale = await fetch(client, media["url"], Range="bytes=0-9", **{"If-Range": '"other"'})
    head = await client.head(media["url"])

    assert (first.status_code, first.headers["content-range"], first.content) == (
        206,
        f"bytes 0-99/{size}",
        whole[:100],
    )
    assert (tail.status_code, tail.content) == (206, whole[-10:])
    assert (beyond.status_code, beyond.headers["content-range"]) == (416, f"bytes */{size}")
    assert (stale.status_code, stale.content) == (200, whole)
    assert (head.status_code, head.headers["content-length"], head.content) == (200, str(size), b"")


@pytest.mark.parametrize(
    "path",
    [
        "/media/originals/..%2F..%2Fetc%2Fpasswd",
        "/media/../pyproject.toml",
        "/media/originals/%2e%2e/x.jpg",
        "/media/originals/ffffffffffffffffffffffffffffffff.jpg",
        "/media/originals/x.html",
        "/media/renditions/abc/w1.jpg",
        "/media/r/sig/stem/w1.jpg",
        "/media/",
    ],
)
async def test_nothing_else_is_served(client, path):
    response = await client.get(path)

    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
