"""Media registered by URL: images with their alt text, caption and credit."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.db import Media
from cms.db.base import db_now
from cms.services import audit, policy, save
from cms.services.errors import NotFound, Problems
from cms.services.text import is_web_url, optional_text
from cms.vocabulary import AuditAction

_MIME = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")


@dataclass
class MediaFields:
    url: str
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    alt: str | None = None
    caption: str | None = None
    credit: str | None = None


async def media_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Media | None]:
    """Batch load, in key order."""
    rows = {m.id: m for m in await session.scalars(select(Media).where(Media.id.in_(ids)))}
    return [rows.get(i) for i in ids]


async def ids_by_url(session: AsyncSession, urls: Sequence[str]) -> dict[str, int]:
    """The media registered at these URLs (the oldest, where one URL was registered twice)."""
    if not urls:
        return {}
    rows = await session.execute(select(Media.url, Media.id).where(Media.url.in_(urls)).order_by(Media.id.desc()))
    return dict(rows.all())


async def existing_ids(session: AsyncSession, ids: Sequence[int]) -> set[int]:
    return set((await session.scalars(select(Media.id).where(Media.id.in_(ids)))).all())


def _describe(problems: Problems, alt: str | None, caption: str | None, credit: str | None) -> tuple[str | None, ...]:
    return (
        optional_text(problems, ("input", "alt"), alt, max_length=1000),
        optional_text(problems, ("input", "caption"), caption, max_length=2000),
        optional_text(problems, ("input", "credit"), credit, max_length=200),
    )


async def create_media(session: AsyncSession, problems: Problems, viewer: Viewer, fields: MediaFields) -> Media:
    """Register media hosted elsewhere, as the viewer's. Raises InputError (bad URL, type or size)."""
    url = fields.url.strip()
    if not is_web_url(url) or len(url) > 2000:
        problems.add(("input", "url"), "url must be an absolute http or https URL")
    mime = (fields.mime_type or "").strip().lower() or mimetypes.guess_type(urlsplit(url).path)[0]
    if mime is None:
        problems.add(("input", "mimeType"), "mimeType is needed when the URL does not tell it")
    elif not _MIME.match(mime):
        problems.add(("input", "mimeType"), "mimeType must look like image/jpeg")
    for name, value in (("width", fields.width), ("height", fields.height)):
        if value is not None and not 0 < value <= 100_000:
            problems.add(("input", name), f"{name} must be between 1 and 100000 pixels")
    alt, caption, credit = _describe(problems, fields.alt, fields.caption, fields.credit)
    problems.raise_if_any()
    media = Media(
        url=url,
        mime_type=mime,
        width=fields.width,
        height=fields.height,
        alt=alt,
        caption=caption,
        credit=credit,
        created_by_id=viewer.user_id,
    )
    session.add(media)
    await session.flush()
    await audit.record(session, viewer, AuditAction.MEDIA_CREATE, ("Media", media.id), detail={"url": url})
    return media


async def update_media(
    session: AsyncSession, problems: Problems, viewer: Viewer, media_id: int, changes: dict[str, str | None]
) -> Media:
    """Change alt, caption or credit (the keys given).

    Raises NotFound, Forbidden (an AUTHOR changing media someone else registered), InputError."""
    media = await session.get(Media, media_id, with_for_update=True)
    if media is None:
        raise NotFound("no such media")
    policy.require_media_change(viewer, media.created_by_id)
    alt, caption, credit = _describe(problems, changes.get("alt"), changes.get("caption"), changes.get("credit"))
    problems.raise_if_any()
    given = [(key, value) for key, value in (("alt", alt), ("caption", caption), ("credit", credit)) if key in changes]
    changed = [key for key, value in given if getattr(media, key) != value]
    for key, value in given:
        setattr(media, key, value)
    media.updated_at = db_now()
    await save(session, media)
    await audit.record(session, viewer, AuditAction.MEDIA_UPDATE, ("Media", media.id), fields=changed)
    return media


async def delete_media(session: AsyncSession, viewer: Viewer, media_id: int) -> None:
    """Delete media; hero images and avatars that used it become empty. Raises NotFound."""
    media = await session.get(Media, media_id)
    if media is None:
        raise NotFound("no such media")
    await audit.record(session, viewer, AuditAction.MEDIA_DELETE, ("Media", media.id), detail={"url": media.url})
    await session.delete(media)
    await session.flush()
