"""Where a long export or import stands, on one line of a terminal.

Written for the two commands rather than taken from a library: a bar, a percentage and a count,
redrawn ten times a second at most, is a few lines; and nothing at all is drawn when the stream
is not a terminal (a log file, a pipe, a test), so that it never mixes into what is captured.
"""

from __future__ import annotations

import time
from typing import TextIO

WIDTH = 24
INTERVAL = 0.1


class Progress:
    """A progress line on `stream` when it is a terminal; silent otherwise (or with no stream)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None and stream.isatty() else None
        self._label = ""
        self._total: int | None = None
        self._unit = ""
        self._done = 0
        self._drawn = 0.0
        self._width = 0
        self._open = False

    @property
    def active(self) -> bool:
        """Whether anything is drawn: worth counting a total for."""
        return self._stream is not None

    def start(self, label: str, total: int | None, unit: str) -> None:
        """Begin a line; `total` in `unit`s ("rows", "bytes"), None when unknown."""
        self._label, self._total, self._unit, self._done = label, total, unit, 0
        self._open = True
        self._draw(force=True)

    def advance(self, amount: int) -> None:
        self._done += amount
        self._draw()

    def finish(self) -> None:
        """Draw the last state and end the line (once; also where the run stopped on an error)."""
        if self._stream is not None and self._open:
            self._draw(force=True)
            self._stream.write("\n")
            self._stream.flush()
            self._width = 0
        self._open = False

    def _draw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if self._stream is None or (not force and now - self._drawn < INTERVAL):
            return
        self._drawn = now
        if self._total:
            share = min(self._done / self._total, 1.0)
            bar = "#" * round(share * WIDTH)
            counted = f"{_number(self._done, self._unit)} of {_number(self._total, self._unit)} {_shown(self._unit)}"
            text = f"{self._label} [{bar:<{WIDTH}}] {share:4.0%}  {counted}"
        else:
            text = f"{self._label} {_number(self._done, self._unit)} {_shown(self._unit)}"
        # Spaces over what a longer line before left behind.
        self._stream.write(f"\r{text}{' ' * max(0, self._width - len(text))}")
        self._stream.flush()
        self._width = len(text)


def _number(value: int, unit: str) -> str:
    return f"{value / 1_000_000:,.1f}" if unit == "bytes" else f"{value:,}"


def _shown(unit: str) -> str:
    return "MB" if unit == "bytes" else unit
