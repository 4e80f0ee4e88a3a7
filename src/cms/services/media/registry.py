"""Media rows: registered by URL, described, given a focal point, deleted; batch loads."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.db import Article, Media
from cms.db.base import db_now
from cms.services import audit, policy, save
from cms.services.articles.visibility import status_is
from cms.services.errors import InputError, NotFound, Problem, Problems
from cms.services.media.links import stored_key_in
from cms.services.text import is_web_url, optional_text, some_named
from cms.vocabulary import ArticleStatus, AuditAction, ErrorCode

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
    """The media these URLs show: registered at that URL (the oldest, where one URL was
    registered twice), or an upload's own URL, wherever its files are served from."""
    if not urls:
        return {}
    keys = {url: key for url in urls if (key := stored_key_in(url)) is not None}
    rows = await session.execute(
        select(Media.url, Media.storage_key, Media.id)
        .where(or_(Media.url.in_(urls), Media.storage_key.in_(keys.values())))
        .order_by(Media.id.desc())
    )
    by_url: dict[str | None, int] = {}
    by_key: dict[str | None, int] = {}
    for url, key, media_id in rows:
        by_url[url], by_key[key] = media_id, media_id
    found = {url: by_url[url] for url in urls if url in by_url}
    found.update({url: by_key[key] for url, key in keys.items() if key in by_key})
    return found


async def existing_ids(session: AsyncSession, ids: Sequence[int]) -> set[int]:
    return set((await session.scalars(select(Media.id).where(Media.id.in_(ids)))).all())


def describe(problems: Problems, alt: str | None, caption: str | None, credit: str | None) -> tuple[str | None, ...]:
    return (
        optional_text(problems, ("input", "alt"), alt, max_length=1000),
        optional_text(problems, ("input", "caption"), caption, max_length=2000),
        optional_text(problems, ("input", "credit"), credit, max_length=200),
    )


def check_focal(problems: Problems, path: tuple[str, ...], focal: tuple[float, float] | None) -> None:
    if focal is not None and not all(0 <= v <= 1 for v in focal):
        problems.add(path, "a focal point's x and y lie between 0 and 1 (from the left and from the top)")


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
    alt, caption, credit = describe(problems, fields.alt, fields.caption, fields.credit)
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


_FOCAL = "focal_point"


async def update_media(
    session: AsyncSession, problems: Problems, viewer: Viewer, media_id: int, changes: dict[str, Any]
) -> Media:
    """Change alt, caption, credit or focal_point ((x, y), or None for the centre): the keys given.

    Raises NotFound, Forbidden (an AUTHOR changing media someone else registered), InputError."""
    media = await session.get(Media, media_id, with_for_update=True)
    if media is None:
        raise NotFound("no such media")
    policy.require_media_change(viewer, media.created_by_id)
    alt, caption, credit = describe(problems, changes.get("alt"), changes.get("caption"), changes.get("credit"))
    focal: tuple[float, float] | None = changes.get(_FOCAL)
    check_focal(problems, ("input", "focalPoint"), focal)
    problems.raise_if_any()
    given: list[tuple[str, Any]] = [
        (key, value) for key, value in (("alt", alt), ("caption", caption), ("credit", credit)) if key in changes
    ]
    if _FOCAL in changes:
        given += [("focal_x", focal[0] if focal else None), ("focal_y", focal[1] if focal else None)]
    changed = sorted({"focalPoint" if key.startswith("focal") else key for key, v in given if getattr(media, key) != v})
    for key, value in given:
        setattr(media, key, value)
    media.updated_at = db_now()
    await save(session, media)
    await audit.record(session, viewer, AuditAction.MEDIA_UPDATE, ("Media", media.id), fields=changed)
    return media


def _shown_in(media_id: int) -> ColumnElement[bool]:
    """Articles that show the media: as hero image, or as an image block of the body."""
    block = func.jsonb_build_array(func.jsonb_build_object("type", "image", "mediaId", media_id))
    return or_(Article.hero_image_id == media_id, Article.body.op("@>", return_type=JSONB)(block).is_(True))


async def delete_media(session: AsyncSession, viewer: Viewer, media_id: int, *, force: bool = False) -> Media:
    """Delete media; articles and authors that showed it show none. Media a published (or
    scheduled) article shows is kept unless `force`. Returns the deleted row, whose files the
    caller removes once the deletion is committed.

    Raises NotFound, InputError (CONFLICT naming the articles)."""
    media = await session.get(Media, media_id, with_for_update=True)
    if media is None:
        raise NotFound("no such media")
    if not force:
        live = _shown_in(media_id) & (status_is(ArticleStatus.PUBLISHED) | status_is(ArticleStatus.SCHEDULED))
        titles = list((await session.scalars(select(Article.title).where(live).order_by(Article.id).limit(4))).all())
        if titles:
            total = await session.scalar(select(func.count()).select_from(Article).where(live)) or 0
            who = "a published article shows" if total == 1 else f"{total} published articles show"
            message = f"{who} this media ({some_named(titles, total)}): pass force: true to delete it all the same"
            raise InputError([Problem(("id",), message, ErrorCode.CONFLICT)])
    detail = {"url": media.url} if media.url else {"storageKey": media.storage_key}
    await audit.record(session, viewer, AuditAction.MEDIA_DELETE, ("Media", media.id), detail=detail)
    await session.delete(media)
    await session.flush()
    return media
