"""collect: stored files that no media row names, older than the grace period, are removed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert

from cms.db import Media
from cms.services.media.gc import collect

NAMED = "originals/" + "a" * 32 + ".jpg"
ORPHAN = "originals/" + "b" * 32 + ".png"


async def keys(storage) -> list[str]:
    return sorted([f.key async for f in storage.files()])


async def test_only_files_no_media_names_are_removed(session, media_storage):
    await session.execute(
        insert(Media).values(storage_key=NAMED, mime_type="image/jpeg", width=10, height=10, size_bytes=3)
    )
    for key in (
        NAMED,
        f"renditions/{NAMED.removeprefix('originals/')}/w5.webp",
        ORPHAN,
        f"renditions/{ORPHAN.removeprefix('originals/')}/w5.webp",
        "stray/file.txt",
    ):
        await media_storage.put(key, b"abc", "application/octet-stream")

    done = await collect(session, media_storage, grace=timedelta(0))

    assert sorted(f.key for f in done.removed) == [
        ORPHAN,
        f"renditions/{ORPHAN.removeprefix('originals/')}/w5.webp",
        "stray/file.txt",
    ]
    assert done.kept == 2
    assert await keys(media_storage) == [NAMED, f"renditions/{NAMED.removeprefix('originals/')}/w5.webp"]


async def test_files_younger_than_the_grace_period_are_left_alone(session, media_storage):
    await media_storage.put(ORPHAN, b"abc", "image/png")

    done = await collect(session, media_storage, grace=timedelta(hours=1))

    assert (done.removed, done.kept) == ([], 1)
    assert await keys(media_storage) == [ORPHAN]


async def test_a_dry_run_removes_nothing(session, media_storage):
    await media_storage.put(ORPHAN, b"abc", "image/png")

    done = await collect(session, media_storage, grace=timedelta(0), dry_run=True)

    assert [f.key for f in done.removed] == [ORPHAN]
    assert await keys(media_storage) == [ORPHAN]
