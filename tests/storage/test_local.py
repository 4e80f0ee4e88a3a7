"""The folder store: what it leaves on disk, and how it holds against what else is in the folder."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from cms.storage import StorageError
from cms.storage.local import LocalStorage


def _on_disk(root: Path) -> list[str]:
    """Every file and folder below `root`, hidden ones too, as paths relative to it."""
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


def _content(path: Path) -> bytes:
    # Outside the async tests, where ruff flags Path I/O; a few bytes block nothing here.
    return path.read_bytes()


async def test_a_file_is_kept_at_its_key_below_the_root(media_root: Path) -> None:
    storage = LocalStorage(media_root)

    await storage.put("originals/ab/abcd.jpg", b"bytes", "image/jpeg")

    assert _content(media_root / "originals" / "ab" / "abcd.jpg") == b"bytes"
    assert _on_disk(media_root) == ["originals", "originals/ab", "originals/ab/abcd.jpg"]


async def test_racing_writes_and_deletes_leave_no_temporary_files(media_root: Path) -> None:
    storage = LocalStorage(media_root)
    contents = [bytes([n]) * 50_000 for n in range(10)]

    # Deletes of a folder's last file remove the folder, while writes into it make it again.
    await asyncio.gather(
        *(storage.put("a/b/same.jpg", content, "image/jpeg") for content in contents),
        *(storage.put(f"a/b/{n}.jpg", b"x", "image/jpeg") for n in range(10)),
        *(storage.delete([f"a/b/{n}.jpg", "a/b/same.jpg"]) for n in range(10)),
    )

    assert all(not name.startswith(".") for path in _on_disk(media_root) for name in Path(path).parts)
    assert await storage.get("a/b/same.jpg") in [None, *contents]


async def test_delete_removes_the_folders_it_empties_but_not_the_root(media_root: Path) -> None:
    storage = LocalStorage(media_root)
    await storage.put("a/b/c/1.jpg", b"1", "image/jpeg")
    await storage.put("a/2.jpg", b"2", "image/jpeg")

    await storage.delete(["a/b/c/1.jpg"])
    assert _on_disk(media_root) == ["a", "a/2.jpg"]

    await storage.delete(["a/2.jpg"])
    assert _on_disk(media_root.parent) == ["media"]


async def test_delete_prefix_removes_the_folders_it_empties(media_root: Path) -> None:
    storage = LocalStorage(media_root)
    for key in ["p/x/y/1.jpg", "p/x/2.jpg", "q/3.jpg"]:
        await storage.put(key, b"x", "image/jpeg")

    assert await storage.delete_prefix("p/x") == 2

    assert _on_disk(media_root) == ["q", "q/3.jpg"]


async def test_files_passes_over_hidden_files_and_names_that_are_not_keys(media_root: Path) -> None:
    storage = LocalStorage(media_root)
    await storage.put("a/kept.jpg", b"x", "image/jpeg")
    (media_root / "a" / ".tmp-0123456789abcdef").write_bytes(b"a write in progress")
    (media_root / ".git").mkdir()
    (media_root / ".git" / "config").write_bytes(b"")
    (media_root / "UPPER.JPG").write_bytes(b"")
    (media_root / "With Space").mkdir()
    (media_root / "With Space" / "x.jpg").write_bytes(b"")

    assert [found.key async for found in storage.files()] == ["a/kept.jpg"]
    assert await storage.delete_prefix("a") == 1
    assert (media_root / "a" / ".tmp-0123456789abcdef").exists()


@pytest.fixture
def outside(tmp_path: Path, media_root: Path) -> Path:
    """A folder beside the root holding `secret.txt`, and a link `escape` to it in the root."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"not media")
    media_root.mkdir()
    (media_root / "escape").symlink_to(outside, target_is_directory=True)
    return outside


@pytest.fixture
def elsewhere(tmp_path: Path, media_root: Path) -> Path:
    """A file beside the root, and a link `link.jpg` to it in the root."""
    elsewhere = tmp_path / "elsewhere.jpg"
    elsewhere.write_bytes(b"not in the store")
    media_root.mkdir()
    (media_root / "link.jpg").symlink_to(elsewhere)
    return elsewhere


async def test_a_link_leading_out_of_the_root_is_refused(outside: Path, media_root: Path) -> None:
    storage = LocalStorage(media_root)

    with pytest.raises(StorageError, match="leads out of the folder"):
        await storage.get("escape/secret.txt")
    with pytest.raises(StorageError, match="leads out of the folder"):
        await storage.put("escape/new.txt", b"x", "text/plain")
    with pytest.raises(StorageError, match="leads out of the folder"):
        await storage.delete(["escape/secret.txt"])

    assert sorted(os.listdir(outside)) == ["secret.txt"]
    assert [found.key async for found in storage.files()] == []
    assert await storage.delete_prefix("escape") == 0


async def test_a_link_in_place_of_a_file_is_not_read_as_one(elsewhere: Path, media_root: Path) -> None:
    storage = LocalStorage(media_root)

    assert await storage.get("link.jpg") is None
    assert await storage.stat("link.jpg") is None
    assert [found.key async for found in storage.files()] == []

    await storage.put("link.jpg", b"replaces the link", "image/jpeg")
    assert _content(elsewhere) == b"not in the store"
    assert await storage.get("link.jpg") == b"replaces the link"


async def test_check_makes_the_root(media_root: Path) -> None:
    await LocalStorage(media_root).check()

    assert _on_disk(media_root.parent) == ["media"]


async def test_a_root_that_cannot_be_made_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_bytes(b"")
    storage = LocalStorage(tmp_path / "a-file" / "media")

    with pytest.raises(StorageError) as checked:
        await storage.check()
    with pytest.raises(StorageError) as written:
        await storage.put("a.jpg", b"x", "image/jpeg")

    assert str(checked.value) == f"media folder {tmp_path}/a-file/media: cannot write: Not a directory"
    assert str(written.value) == f"media folder {tmp_path}/a-file/media: cannot write 'a.jpg': Not a directory"
    assert await storage.get("a.jpg") is None
