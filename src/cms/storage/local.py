"""Media files in a folder on this machine: the key is the file's path below the folder.

A write goes to a hidden temporary file beside its target and is renamed over it, so a reader
finds the old file or the new one, never a part. Names starting with "." are never keys, so the
temporary files cannot collide with one and `files()` passes them by. Folders are made on the way
in and removed again once empty, so the tree holds no litter of empty folders.

Symbolic links below the folder are not the store's files: reads and listings pass them by, and a
key whose folder a link leads out of the root is refused, a second line of defence behind
`check_key`.
"""

from __future__ import annotations

import asyncio
import errno
import os
import secrets
import stat
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import suppress
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import ParamSpec, TypeVar

from cms.storage import StorageError, StoredFile, check_key, is_key

P = ParamSpec("P")
T = TypeVar("T")

# Files listed per trip to the worker thread: few trips, and no whole tree held in memory.
_BATCH = 500
# Times `put` makes a folder again that a concurrent `delete` removed as empty meanwhile.
_FOLDER_TRIES = 5
_NOT_A_FILE = (FileNotFoundError, NotADirectoryError, IsADirectoryError)
_BINARY = getattr(os, "O_BINARY", 0)  # Windows only
_READ = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | _BINARY
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | _BINARY


def _fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` survive a crash; POSIX only, where a folder can be opened."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return  # a concurrent delete took the new file and the folder with it
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalStorage:
    """The media store in the folder `root`, made on the first write."""

    def __init__(self, root: Path) -> None:
        self._root = root

    @property
    def root(self) -> Path:
        return self._root

    def __repr__(self) -> str:
        return f"LocalStorage({str(self._root)!r})"

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store `data` at `key` atomically. The folder keeps no content type: whoever serves the
        file derives it from the key's extension."""
        check_key(key)
        await self._run(f"write {key!r}", self._put, key, data)

    async def get(self, key: str) -> bytes | None:
        check_key(key)
        return await self._run(f"read {key!r}", self._get, key)

    async def stat(self, key: str) -> StoredFile | None:
        check_key(key)
        return await self._run(f"read {key!r}", self._stat, key)

    async def delete(self, keys: Iterable[str]) -> None:
        keys = [check_key(key) for key in keys]
        if keys:
            await self._run("delete files", self._delete, keys)

    async def delete_prefix(self, prefix: str) -> int:
        check_key(prefix)
        return await self._run(f"delete under {prefix!r}", self._delete_prefix, prefix)

    def files(self, prefix: str = "") -> AsyncIterator[StoredFile]:
        if prefix:
            check_key(prefix)
        return self._files(prefix)

    async def check(self) -> None:
        """Raise StorageError unless the folder exists or can be made, and takes a file."""
        await self._run("write", self._check)

    async def _files(self, prefix: str) -> AsyncIterator[StoredFile]:
        walk = await self._run("list files", self._walker, prefix)
        while batch := await self._run("list files", lambda: list(islice(walk, _BATCH))):
            for found in batch:
                yield found

    async def _run(self, what: str, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Do blocking file work on a worker thread; an OSError becomes a one-line StorageError."""
        try:
            return await asyncio.to_thread(work, *args, **kwargs)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise StorageError(f"media folder {self._root}: cannot {what}: {reason}") from error

    # The methods below block: they run on a worker thread.

    def _resolved_root(self) -> Path:
        return self._root.resolve()

    def _path(self, key: str) -> Path:
        """Where the file of `key` is: its folder resolved and checked to be inside the root, its
        name not, so that a link in its place is replaced or removed rather than followed."""
        root = self._resolved_root()
        above, _, name = key.rpartition("/")
        folder = (root / above).resolve() if above else root
        if not folder.is_relative_to(root):
            raise StorageError(f"media folder {self._root}: {key!r} leads out of the folder")
        return folder / name

    def _put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        fd, temp = self._create_temp(path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except BaseException:
            with suppress(FileNotFoundError):
                temp.unlink()
            raise
        _fsync_folder(path.parent)

    def _create_temp(self, folder: Path) -> tuple[int, Path]:
        """A new hidden file in `folder`, made with the folder when needed; its descriptor and path."""
        for _ in range(_FOLDER_TRIES):
            folder.mkdir(parents=True, exist_ok=True)
            temp = folder / f".tmp-{secrets.token_hex(8)}"
            try:
                # 0o666 less the umask, as for any new file, where mkstemp would give 0o600.
                return os.open(temp, _CREATE, 0o666), temp
            except FileNotFoundError:
                continue  # a concurrent delete removed the folder, still empty, just after mkdir
        raise StorageError(f"media folder {self._root}: {folder} keeps disappearing")

    def _get(self, key: str) -> bytes | None:
        try:
            fd = os.open(self._path(key), _READ)
        except _NOT_A_FILE:
            return None
        except OSError as error:
            if error.errno == errno.ELOOP:
                return None  # a symbolic link, which O_NOFOLLOW refuses to open
            raise
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return None  # a folder
        with os.fdopen(fd, "rb") as source:
            return source.read()

    def _stat(self, key: str) -> StoredFile | None:
        try:
            info = os.lstat(self._path(key))
        except (FileNotFoundError, NotADirectoryError):
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        return StoredFile(key, info.st_size, datetime.fromtimestamp(info.st_mtime, UTC))

    def _delete(self, keys: list[str]) -> None:
        root = self._resolved_root()
        for key in keys:
            self._remove(self._path(key), root)

    def _remove(self, path: Path, root: Path) -> bool:
        """Remove the file at `path`, then the folders it leaves empty; whether there was one."""
        try:
            path.unlink()
        except _NOT_A_FILE:
            return False
        folder = path.parent
        while folder != root and folder.is_relative_to(root):
            try:
                folder.rmdir()
            except OSError:
                break  # not empty (or gone already): the folders above are not empty either
            folder = folder.parent
        return True

    def _delete_prefix(self, prefix: str) -> int:
        root = self._resolved_root()
        found = list(self._walker(prefix))
        return sum(self._remove(self._path(entry.key), root) for entry in found)

    def _walker(self, prefix: str) -> Iterator[StoredFile]:
        if not prefix:
            return self._walk(self._resolved_root(), "")
        top = self._path(prefix)
        if top.is_symlink():
            return iter(())
        return self._walk(top, f"{prefix}/")

    def _walk(self, top: Path, key_prefix: str) -> Iterator[StoredFile]:
        """The files below `top` whose paths are keys, without following symbolic links."""
        pending = [(top, key_prefix)]
        while pending:
            folder, above = pending.pop()
            try:
                with os.scandir(folder) as scan:
                    entries = list(scan)
            except (FileNotFoundError, NotADirectoryError):
                continue  # removed meanwhile, or a file rather than a folder
            for entry in entries:
                if entry.name.startswith("."):
                    continue  # temporary files of writes in progress; no key starts with "."
                key = above + entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append((Path(entry.path), key + "/"))
                elif entry.is_file(follow_symlinks=False) and is_key(key):
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except FileNotFoundError:
                        continue
                    yield StoredFile(key, info.st_size, datetime.fromtimestamp(info.st_mtime, UTC))

    def _check(self) -> None:
        self._root.mkdir(parents=True, exist_ok=True)
        fd, temp = self._create_temp(self._root)
        os.close(fd)
        temp.unlink()
