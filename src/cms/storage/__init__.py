"""Where media files are kept: a folder, or an S3-compatible bucket, behind one interface.

Keys are relative paths of lowercase letters, digits, `.`, `_` and `-` in `/`-separated
segments that start with a letter or digit (`originals/ab/abcd.jpg`), so that no key can name
anything outside the store: `check_key` refuses every other string.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from cms.config import Settings

# Matched with fullmatch: `$` would let a trailing newline through.
_KEY = re.compile(r"[a-z0-9][a-z0-9_.-]*(/[a-z0-9][a-z0-9_.-]*)*")
MAX_KEY = 512


class BadKey(ValueError):
    """A string that is not a storage key: a bug in the caller, found before anything is touched."""


class StorageError(RuntimeError):
    """The store cannot be used: a folder that cannot be written, a bucket that cannot be reached,
    credentials refused. The message is one line for the operator and never holds a secret; the
    backend's own exception, for the log, is its `__cause__`."""


def check_key(key: str) -> str:
    """The key itself when it is one; raises BadKey otherwise."""
    if len(key) > MAX_KEY or not _KEY.fullmatch(key):
        raise BadKey(f"not a storage key: {key[:80]!r}")
    return key


def is_key(name: str) -> bool:
    """Whether `name` is a key: listings pass over files that are not the store's."""
    return len(name) <= MAX_KEY and _KEY.fullmatch(name) is not None


@dataclass(frozen=True)
class StoredFile:
    """What a store knows of one file besides its bytes."""

    key: str
    size: int
    modified: datetime  # aware, UTC


class Storage(Protocol):
    """Every method checks its keys with `check_key` and raises BadKey before touching anything;
    every failure of the store itself is a StorageError."""

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store `data` at `key`, replacing what is there; atomically: a reader finds the whole
        file or none, never a part, also when two writers race."""

    async def get(self, key: str) -> bytes | None:
        """The file's bytes; None when there is none."""

    async def stat(self, key: str) -> StoredFile | None:
        """Size and time of the file; None when there is none."""

    async def delete(self, keys: Iterable[str]) -> None:
        """Remove these files; keys with no file are no error."""

    async def delete_prefix(self, prefix: str) -> int:
        """Remove every file whose key starts with `prefix` + "/"; returns how many."""

    def files(self, prefix: str = "") -> AsyncIterator[StoredFile]:
        """Every stored file (under `prefix` + "/" when given), in no particular order."""
        ...

    async def check(self) -> None:
        """Raise StorageError unless the store can be used now; for readiness probes, so cheap."""


def make_storage(settings: Settings) -> Storage:
    """The bucket when `settings.s3` is set, else the folder `settings.media_folder`."""
    if settings.s3 is not None:
        from cms.storage.s3 import S3Storage

        return S3Storage(settings.s3)
    from cms.storage.local import LocalStorage

    return LocalStorage(settings.media_folder)
