"""Uploads: an image checked, cleaned and stored once, then registered as media.

The order keeps storage and database in step: the bytes are checked before anything is
written; the file is stored under a key of its own before the row that names it is inserted;
a refused insert deletes the file at once, and `on_rollback` is told how to delete it should
the transaction around the insert be rolled back later. Only a crash between the two leaves a
file with no row, which `gc.collect` finds.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.db import Media
from cms.services import audit, policy
from cms.services.errors import InputError, Problem, Problems
from cms.services.images import CleanImage, ImageRefused, accept_upload
from cms.services.media.links import ORIGINALS
from cms.services.media.registry import check_focal, describe
from cms.services.media.work import in_pool
from cms.services.policy import Action
from cms.storage import Storage
from cms.vocabulary import AuditAction


@dataclass
class UploadFields:
    alt: str | None = None
    caption: str | None = None
    # The editor's; when None, the credit found in the image's own metadata, if any.
    credit: str | None = None
    focal_point: tuple[float, float] | None = None


async def upload_media(
    session: AsyncSession,
    problems: Problems,
    viewer: Viewer,
    storage: Storage,
    data: bytes,
    fields: UploadFields,
    *,
    max_pixels: int,
    on_rollback: Callable[[Callable[[], Awaitable[None]]], None],
) -> Media:
    """Register an uploaded image as the viewer's; the same bytes uploaded before give the
    media they made, as it is. Raises Forbidden, InputError (the description, or the file:
    not an accepted image, too many pixels, corrupt)."""
    policy.require(viewer, Action.REGISTER_MEDIA)
    alt, caption, credit = describe(problems, fields.alt, fields.caption, fields.credit)
    check_focal(problems, ("input", "focalPoint"), fields.focal_point)
    problems.raise_if_any()
    digest = hashlib.sha256(data).digest()
    existing = await _by_digest(session, digest)
    if existing is not None:
        return existing
    try:
        image = await in_pool(accept_upload, data, max_pixels=max_pixels)
    except ImageRefused as exc:
        raise InputError([Problem(("file",), str(exc))]) from None
    key = f"{ORIGINALS}/{uuid.uuid4().hex}.{image.extension}"
    await storage.put(key, image.data, image.mime_type)
    try:
        media_id = await _insert(session, viewer, key, digest, image, alt, caption, credit, fields.focal_point)
    except BaseException:
        await storage.delete([key])
        raise
    if media_id is None:  # the same bytes, uploaded at the same moment, won
        await storage.delete([key])
        winner = await _by_digest(session, digest)
        assert winner is not None, "a conflict on sha256 means a row holds it"
        return winner
    on_rollback(lambda: storage.delete([key]))
    await audit.record(
        session, viewer, AuditAction.MEDIA_UPLOAD, ("Media", media_id), detail={"bytes": len(image.data)}
    )
    media = await session.get(Media, media_id)
    assert media is not None
    return media


async def _by_digest(session: AsyncSession, digest: bytes) -> Media | None:
    found: Media | None = (await session.scalars(select(Media).where(Media.sha256 == digest))).one_or_none()
    return found


async def _insert(
    session: AsyncSession,
    viewer: Viewer,
    key: str,
    digest: bytes,
    image: CleanImage,
    alt: str | None,
    caption: str | None,
    credit: str | None,
    focal: tuple[float, float] | None,
) -> int | None:
    """The new row's id; None when a row with the same digest exists by now (committed by a
    concurrent upload, which this insert waited for)."""
    stmt = (
        insert(Media)
        .values(
            storage_key=key,
            sha256=digest,
            mime_type=image.mime_type,
            width=image.width,
            height=image.height,
            size_bytes=len(image.data),
            alt=alt,
            caption=caption,
            credit=credit if credit is not None else image.credit,
            blurhash=image.blurhash,
            focal_x=focal[0] if focal else None,
            focal_y=focal[1] if focal else None,
            created_by_id=viewer.user_id,
        )
        .on_conflict_do_nothing(index_elements=[Media.sha256])
        .returning(Media.id)
    )
    media_id: int | None = await session.scalar(stmt)
    return media_id
