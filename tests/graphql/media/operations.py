"""What the media operation tests share."""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.db import Media
from cms.vocabulary import Role


async def media_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Media)) or 0)


UPLOAD = """
mutation($file: Upload!, $input: UploadMediaInput) {
  uploadMedia(file: $file, input: $input) {
    media { id url mimeType width height sizeBytes credit alt blurhash focalPoint { x y } }
    userErrors { field message code }
  }
}
"""
PREFLIGHT = {"Apollo-Require-Preflight": "true"}


def photo(
    size: tuple[int, int] = (64, 48), fmt: str = "JPEG", color: tuple[int, int, int] = (200, 30, 30), **save: Any
) -> bytes:
    """An image made on the spot, in `fmt`."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt, **save)
    return out.getvalue()


async def upload_response(
    client: httpx.AsyncClient,
    data: bytes,
    *,
    token: str | None,
    filename: str = "photo.jpg",
    content_type: str = "image/jpeg",
    input: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """The GraphQL multipart request, as apollo-upload-client sends it: `operations` with the
    file's variable null, `map` naming where file part "1" goes, then the file."""
    operations = {"query": UPLOAD, "variables": {"file": None, "input": input}}
    sent = dict(PREFLIGHT if headers is None else headers)
    if token:
        sent["Authorization"] = f"Bearer {token}"
    return await client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"1": ["variables.file"]})},
        files={"1": (filename, data, content_type)},
        headers=sent,
    )


async def upload(api: Any, data: bytes, *, role: Role = Role.EDITOR, **options: Any) -> dict[str, Any]:
    """The uploadMedia payload."""
    response = await upload_response(api.client, data, token=api.tokens[role], **options)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["uploadMedia"]
    return payload


async def uploaded(api: Any, data: bytes | None = None, **options: Any) -> dict[str, Any]:
    """Media uploaded without a problem."""
    payload = await upload(api, data if data is not None else photo(), **options)
    assert payload["userErrors"] == [], payload
    media: dict[str, Any] = payload["media"]
    return media
