"""/media: the files of uploads and their renditions, served as browsers and CDNs expect.

`/media/originals/<name>` is an upload's cleaned original; `/media/r/<signature>/<stem>/<spec>`
a rendition, made on its first request (`services/media/renditions.py`) when the signature is
the server's. Only those two shapes are served: the path is matched against the key pattern of
the storage, so nothing outside it can be named, and any other path is a coded 404.

Files never change under their URL (a new upload gets a new key; a moved focal point makes new
rendition URLs), so they are cached for a year as immutable, with an ETag for revalidation.
Every answer is `nosniff` with a Content-Security-Policy that runs nothing, should a browser be
led to open one as a page.
"""

from __future__ import annotations

import hashlib
import logging
import re

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cms.config import Settings
from cms.http import refusal
from cms.services import secrets
from cms.services.media import renditions
from cms.services.media.links import MIME_TYPES, ORIGINALS, SIGNING_USE, parse
from cms.storage import BadKey, Storage, StorageError, check_key
from cms.vocabulary import RequestErrorCode

log = logging.getLogger("cms.files")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    # Frontends on other origins show these images.
    "Cross-Origin-Resource-Policy": "cross-origin",
}
IMMUTABLE = "public, max-age=31536000, immutable"
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class MediaFiles:
    """The /media endpoints; `sessionmaker` is set once the lifespan has made the engine."""

    def __init__(self, settings: Settings, storage: Storage) -> None:
        self.settings, self.storage = settings, storage
        self.sessionmaker: async_sessionmaker[AsyncSession] | None = None

    def routes(self) -> list[Route]:
        methods = ["GET", "HEAD"]
        return [
            Route("/media/originals/{name}", self.original, methods=methods),
            Route("/media/r/{signature}/{stem}/{name}", self.rendition, methods=methods),
            Route("/media/{rest:path}", self.nothing, methods=methods),
        ]

    async def original(self, request: Request) -> Response:
        name = request.path_params["name"]
        ext = name.rpartition(".")[2]
        try:
            key = check_key(f"{ORIGINALS}/{name}")
            data = await self.storage.get(key) if ext in MIME_TYPES else None
        except BadKey:
            return _not_found()
        except StorageError as exc:
            return _unavailable(exc)
        if data is None:
            return _not_found()
        return file_response(request, key, data, MIME_TYPES[ext])

    async def rendition(self, request: Request) -> Response:
        sessionmaker = self.sessionmaker
        assert sessionmaker is not None, "the app is not started: run it with its lifespan"
        key = await secrets.key_for(self.settings, sessionmaker, SIGNING_USE)
        p = request.path_params
        asked = parse(key, p["signature"], p["stem"], p["name"])
        if asked is None:
            return _not_found()
        try:
            data = await renditions.rendition_bytes(self.storage, sessionmaker, asked)
        except StorageError as exc:
            return _unavailable(exc)
        except Exception as exc:  # a stored upload that no longer decodes: the operator's to see
            log.error("rendition %s failed: %s: %s", asked.key, type(exc).__name__, exc)
            return refusal(500, "the rendition could not be made", RequestErrorCode.INTERNAL_SERVER_ERROR)
        if data is None:
            return _not_found()
        return file_response(request, asked.key, data, asked.mime_type)

    async def nothing(self, request: Request) -> Response:
        return _not_found()


def _unavailable(exc: StorageError) -> Response:
    log.error("media storage failed: %s", exc)
    return refusal(503, "the media storage is unavailable", RequestErrorCode.INTERNAL_SERVER_ERROR)


def _not_found() -> Response:
    return refusal(404, "no such file", RequestErrorCode.NOT_FOUND)


def file_response(request: Request, key: str, data: bytes, content_type: str) -> Response:
    """`data` with caching, revalidation (ETag, 304) and one byte range (206, 416), as the
    key's file: a key names one content for good, so the ETag is the key's digest."""
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    headers = {**SECURITY_HEADERS, "Cache-Control": IMMUTABLE, "ETag": etag, "Accept-Ranges": "bytes"}
    if etag in _etags(request.headers.get("if-none-match")):
        return Response(status_code=304, headers=headers)
    size = len(data)
    wanted = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if wanted is not None and (if_range is None or if_range == etag):
        span = _span(wanted, size)
        if span is None:
            return Response(
                status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"}, media_type=content_type
            )
        if span != (0, size - 1):
            start, end = span
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
            return _body(request, data[start : end + 1], 206, headers, content_type)
    return _body(request, data, 200, headers, content_type)


def _body(request: Request, data: bytes, status: int, headers: dict[str, str], content_type: str) -> Response:
    if request.method == "HEAD":
        return Response(
            status_code=status, headers={**headers, "Content-Length": str(len(data))}, media_type=content_type
        )
    return Response(data, status, headers, content_type)


def _etags(header: str | None) -> set[str]:
    if not header:
        return set()
    return {tag.strip().removeprefix("W/") for tag in header.split(",")}


def _span(header: str, size: int) -> tuple[int, int] | None:
    """The one range `bytes=a-b`, `bytes=a-` or `bytes=-n` asks for, clipped to the file; None
    when it asks for nothing the file has. Several ranges are answered whole (RFC 9110 lets a
    server ignore Range), as is anything malformed."""
    match = _RANGE.match(header.strip())
    if match is None:
        return (0, size - 1)
    first, last = match.groups()
    if not first and not last:
        return (0, size - 1)
    if not first:  # the last n bytes
        n = int(last)
        return (max(0, size - n), size - 1) if n > 0 and size > 0 else None
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        return None
    return (start, end)
