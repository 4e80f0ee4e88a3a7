"""What every store promises (the `Storage` protocol), checked on the folder and on the bucket."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from cms.config import S3Settings, Settings
from cms.storage import BadKey, Storage, StoredFile, make_storage
from cms.storage.local import LocalStorage
from cms.storage.s3 import S3Storage

KEY = "originals/ab/abcd.jpg"


async def _keys(storage: Storage, prefix: str = "") -> list[str]:
    return sorted([found.key async for found in storage.files(prefix)])


async def _put_all(storage: Storage, *keys: str) -> None:
    for key in keys:
        await storage.put(key, key.encode(), "image/jpeg")


async def test_put_then_get_returns_the_bytes_and_stat_their_size(storage: Storage) -> None:
    data = b"\xff\xd8\xff\xe0 not really a jpeg \x00\x01"

    await storage.put(KEY, data, "image/jpeg")

    assert await storage.get(KEY) == data
    stored = await storage.stat(KEY)
    assert stored is not None
    assert (stored.key, stored.size) == (KEY, len(data))
    assert stored.modified.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - stored.modified) < timedelta(minutes=1)


async def test_an_empty_file_is_a_file(storage: Storage) -> None:
    await storage.put("empty.txt", b"", "text/plain")

    assert await storage.get("empty.txt") == b""
    stored = await storage.stat("empty.txt")
    assert stored is not None
    assert stored.size == 0


async def test_get_and_stat_of_a_missing_key_are_none(storage: Storage) -> None:
    await storage.put(KEY, b"x", "image/jpeg")

    assert await storage.get("originals/ab/missing.jpg") is None
    assert await storage.stat("originals/ab/missing.jpg") is None
    # A key whose "folder" holds files is still no file.
    assert await storage.get("originals/ab") is None
    assert await storage.stat("originals/ab") is None
    # Nor is one below a file.
    assert await storage.get(f"{KEY}/below") is None
    assert await storage.stat(f"{KEY}/below") is None


async def test_put_replaces_the_file(storage: Storage) -> None:
    await storage.put(KEY, b"the first, longer version", "image/jpeg")

    await storage.put(KEY, b"second", "image/png")

    assert await storage.get(KEY) == b"second"
    stored = await storage.stat(KEY)
    assert stored is not None
    assert stored.size == len(b"second")
    assert await _keys(storage) == [KEY]


async def test_delete_removes_the_files_and_passes_over_missing_keys(storage: Storage) -> None:
    await _put_all(storage, "a/1.jpg", "a/2.jpg", "a/3.jpg", "b.jpg")

    await storage.delete(["a/1.jpg", "missing.jpg", "b.jpg", "a/missing/deeper.jpg", "a/1.jpg", "a"])

    assert await _keys(storage) == ["a/2.jpg", "a/3.jpg"]
    assert await storage.get("a/1.jpg") is None
    assert await storage.get("b.jpg") is None


async def test_delete_of_nothing_does_nothing(storage: Storage) -> None:
    await _put_all(storage, "a.jpg")

    await storage.delete([])
    await storage.delete(["missing.jpg"])

    assert await _keys(storage) == ["a.jpg"]


async def test_delete_prefix_removes_only_the_files_below_the_prefix(storage: Storage) -> None:
    await _put_all(storage, "abc/1.jpg", "abc/x/2.jpg", "abc/x/y/3.jpg", "abc-other/4.jpg", "abc.jpg", "abcd/5.jpg")

    removed = await storage.delete_prefix("abc")

    assert removed == 3
    assert await _keys(storage) == ["abc-other/4.jpg", "abc.jpg", "abcd/5.jpg"]
    assert await storage.delete_prefix("abc") == 0
    assert await storage.delete_prefix("abc.jpg") == 0
    assert await storage.get("abc.jpg") == b"abc.jpg"


async def test_delete_prefix_takes_a_nested_prefix(storage: Storage) -> None:
    await _put_all(storage, "abc/x/2.jpg", "abc/x/y/3.jpg", "abc/xy/4.jpg", "abc/1.jpg")

    assert await storage.delete_prefix("abc/x") == 2

    assert await _keys(storage) == ["abc/1.jpg", "abc/xy/4.jpg"]


async def test_files_lists_every_file_and_those_under_a_prefix(storage: Storage) -> None:
    await _put_all(storage, "top.jpg", "a/1.jpg", "a/b/2.jpg", "a-b/3.jpg", "ab/4.jpg")

    assert await _keys(storage) == ["a-b/3.jpg", "a/1.jpg", "a/b/2.jpg", "ab/4.jpg", "top.jpg"]
    assert await _keys(storage, "a") == ["a/1.jpg", "a/b/2.jpg"]
    assert await _keys(storage, "a/b") == ["a/b/2.jpg"]
    assert await _keys(storage, "missing") == []
    assert await _keys(storage, "top.jpg") == []
    listed = {found.key: found async for found in storage.files("a")}
    assert listed["a/b/2.jpg"] == await storage.stat("a/b/2.jpg")


async def test_files_of_an_empty_store_is_empty(storage: Storage) -> None:
    assert await _keys(storage) == []


BAD_KEYS = [
    pytest.param("../x", id="parent"),
    pytest.param("/abs", id="absolute"),
    pytest.param("a/../b", id="parent-inside"),
    pytest.param("A.JPG", id="uppercase"),
    pytest.param(".hidden", id="dot-first"),
    pytest.param("a/.hidden", id="dot-first-segment"),
    pytest.param("a//b", id="empty-segment"),
    pytest.param("", id="empty"),
    pytest.param("a/", id="trailing-slash"),
    pytest.param("a" * 600, id="600-chars"),
    pytest.param("a\x00b", id="nul"),
    pytest.param("a\n", id="trailing-newline"),
    pytest.param("a\\b", id="backslash"),
    pytest.param("a b", id="space"),
]


@pytest.mark.parametrize("bad", BAD_KEYS)
async def test_every_method_refuses_a_bad_key_before_touching_the_store(storage: Storage, bad: str) -> None:
    await _put_all(storage, "keep.jpg", "keep/1.jpg")

    with pytest.raises(BadKey):
        await storage.put(bad, b"x", "image/jpeg")
    with pytest.raises(BadKey):
        await storage.get(bad)
    with pytest.raises(BadKey):
        await storage.stat(bad)
    with pytest.raises(BadKey):
        await storage.delete(["keep.jpg", bad])
    with pytest.raises(BadKey):
        await storage.delete_prefix(bad)
    if bad:  # "" is every file, for files(), and no prefix
        with pytest.raises(BadKey):
            async for _ in storage.files(bad):
                pass

    assert await _keys(storage) == ["keep.jpg", "keep/1.jpg"]


async def test_racing_writes_leave_one_whole_file_and_readers_see_only_whole_files(storage: Storage) -> None:
    contents = [bytes([n]) * 100_000 for n in range(10)]
    await storage.put(KEY, contents[0], "image/jpeg")

    writes = [storage.put(KEY, content, "image/jpeg") for content in contents]
    reads = [storage.get(KEY) for _ in range(10)]
    results: list[Any] = await asyncio.gather(*writes, *reads)

    assert all(seen in contents for seen in results[len(writes) :])
    assert await storage.get(KEY) in contents
    assert [(found.key, found.size) async for found in storage.files()] == [(KEY, 100_000)]


async def test_check_passes_on_a_usable_store(storage: Storage) -> None:
    await storage.check()


def test_make_storage_picks_the_folder_without_s3_settings(tmp_path: Path) -> None:
    storage = make_storage(Settings(media_dir=tmp_path / "media"))

    assert isinstance(storage, LocalStorage)
    assert storage.root == tmp_path / "media"


def test_make_storage_defaults_to_the_media_folder_in_the_data_dir(tmp_path: Path) -> None:
    storage = make_storage(Settings(data_dir=tmp_path))

    assert isinstance(storage, LocalStorage)
    assert storage.root == tmp_path / "media"


async def test_make_storage_picks_the_bucket_with_s3_settings(s3_settings: S3Settings, s3_client: Any) -> None:
    storage = make_storage(Settings(media_dir=Path("/unused"), s3=s3_settings))

    assert isinstance(storage, S3Storage)
    await storage.put("a.jpg", b"in the bucket", "image/jpeg")
    stored = s3_client.get_object(Bucket=s3_settings.bucket, Key="a.jpg")["Body"].read()
    assert stored == b"in the bucket"


def test_stored_file_is_a_plain_value() -> None:
    when = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)

    assert StoredFile("a.jpg", 3, when) == StoredFile("a.jpg", 3, when)
