"""The files an export is written to and an import read from: a path, or `-` for stdout / stdin."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cms.services.transfer.format import TransferError

BUFFER = 1 << 20


@contextlib.contextmanager
def output(path: str) -> Iterator[BinaryIO]:
    """Where an export goes. A file is written whole or not at all: into a temporary file beside
    it, renamed over it once the export has ended, so that a failed export leaves no file that
    looks like one. Like that temporary file it is readable by its owner only: it holds the
    users' addresses, and perhaps their password hashes."""
    if path == "-":
        try:
            yield sys.stdout.buffer
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            # Python flushes stdout again on its way out: point it at nothing, so that it is quiet.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise TransferError("the output was closed before the export ended") from None
        return
    target = Path(path)
    try:
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    except OSError as exc:
        raise TransferError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb", buffering=BUFFER) as out:
            yield out
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise TransferError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def source(path: str) -> Iterator[tuple[BinaryIO, int | None]]:
    """What an import reads, with its size in bytes when it is a file (for the progress bar)."""
    if path == "-":
        if sys.stdin.isatty():
            raise TransferError("no input: give --input FILE, or pipe an export in")
        yield sys.stdin.buffer, None
        return
    try:
        file = open(path, "rb", buffering=BUFFER)  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise TransferError(f"cannot read {path}: {exc.strerror or exc}") from None
    with file:
        status = os.fstat(file.fileno())
        yield file, status.st_size if stat.S_ISREG(status.st_mode) else None
