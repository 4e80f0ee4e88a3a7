"""The URLs of media: where an upload's file is fetched, and signed rendition URLs.

A rendition URL carries everything needed to make it, and a signature over that, so the server
renders only what the API handed out (nobody can ask it for a million sizes):

    <cms>/media/r/<signature>/<stem>/<spec>.<ext>

`stem` names the upload (its storage key without `originals/`), `spec` the size: `w1200`,
`h800`, `w1200-h800-f500x300` (a crop; the focal point in thousandths, so that moving it makes
new URLs instead of stale caches) or `o` (the source size). The size is the one the rendition
comes out at (never larger than the source), so that every way of asking for one rendition
gives one URL and one cached file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass

from cms.db import Media
from cms.services.images import OutputFormat, rendition_box

# What rendition URLs are signed for, with a key of their own (`secrets.key_for`).
SIGNING_USE = "renditions"
ORIGINALS = "originals"
RENDITIONS = "renditions"
EXTENSIONS = {OutputFormat.JPEG: "jpg", OutputFormat.PNG: "png", OutputFormat.WEBP: "webp", OutputFormat.AVIF: "avif"}
FORMATS = {ext: fmt for fmt, ext in EXTENSIONS.items()}
MIME_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "avif": "image/avif", "gif": "image/gif"}
# Uploads keep their format in renditions asked for without one; a GIF's first frame becomes a PNG.
SOURCE_FORMATS = {
    "image/jpeg": OutputFormat.JPEG,
    "image/png": OutputFormat.PNG,
    "image/webp": OutputFormat.WEBP,
    "image/avif": OutputFormat.AVIF,
}
DEFAULT_WIDTHS = (320, 640, 960, 1280, 1920, 2560)
MAX_SRCSET_WIDTHS = 20

_STEM = r"[0-9a-f]{32}\.(?:jpg|png|webp|avif|gif)"
_SPEC = re.compile(r"^(?:o|w(\d{1,5})|h(\d{1,5})|w(\d{1,5})-h(\d{1,5})-f(\d{1,4})x(\d{1,4}))$")
_STEM_RE = re.compile(rf"^{_STEM}$")
_ORIGINAL_PATH = re.compile(rf"/{ORIGINALS}/({_STEM})$")


@dataclass(frozen=True)
class Rendition:
    """One rendition of one upload, as its URL names it."""

    stem: str
    width: int | None
    height: int | None
    focal: tuple[float, float]
    fmt: OutputFormat

    @property
    def spec(self) -> str:
        if self.width is not None and self.height is not None:
            fx, fy = (round(v * 1000) for v in self.focal)
            return f"w{self.width}-h{self.height}-f{fx}x{fy}"
        if self.width is not None:
            return f"w{self.width}"
        if self.height is not None:
            return f"h{self.height}"
        return "o"

    @property
    def path(self) -> str:
        """What the signature covers, and the part of the URL after it."""
        return f"{self.stem}/{self.spec}.{EXTENSIONS[self.fmt]}"

    @property
    def source_key(self) -> str:
        return f"{ORIGINALS}/{self.stem}"

    @property
    def key(self) -> str:
        return f"{RENDITIONS}/{self.path}"

    @property
    def mime_type(self) -> str:
        return MIME_TYPES[EXTENSIONS[self.fmt]]


def renditions_prefix(storage_key: str) -> str:
    """Where an upload's renditions are kept, to delete them with it."""
    return f"{RENDITIONS}/{stem_of(storage_key)}"


def stem_of(storage_key: str) -> str:
    return storage_key.removeprefix(f"{ORIGINALS}/")


def original_key(stem: str) -> str:
    return f"{ORIGINALS}/{stem}"


def stored_key_in(url: str) -> str | None:
    """The storage key of an upload whose URL this is (as `Links.original` makes it, wherever
    the files are served from), so that Markdown can show an upload by its URL."""
    match = _ORIGINAL_PATH.search(url.split("?", 1)[0])
    return original_key(match[1]) if match else None


def original_url(files: str, media: Media) -> str:
    """Where an upload's file is fetched (`files` is the base: a CDN, a bucket, the CMS's
    /media), or the URL of media linked from elsewhere."""
    if media.storage_key is None:
        assert media.url is not None  # the database holds one or the other
        return media.url
    return f"{files}/{media.storage_key}"


def sign(key: bytes, path: str) -> str:
    digest = hmac.new(key, path.encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def parse(key: bytes, signature: str, stem: str, name: str) -> Rendition | None:
    """The rendition a URL's path names, if the server signed it; None for anything else."""
    spec, dot, ext = name.rpartition(".")
    match = _SPEC.match(spec)
    if not dot or match is None or ext not in FORMATS or not _STEM_RE.match(stem):
        return None
    if not hmac.compare_digest(sign(key, f"{stem}/{name}"), signature):
        return None
    w1, h1, w2, h2, fx, fy = match.groups()
    width = int(w1 or w2) if (w1 or w2) else None
    height = int(h1 or h2) if (h1 or h2) else None
    focal = (int(fx) / 1000, int(fy) / 1000) if fx else (0.5, 0.5)
    return Rendition(stem=stem, width=width, height=height, focal=focal, fmt=FORMATS[ext])


class BadSize(ValueError):
    """A rendition size that is no size (zero or less)."""


@dataclass(frozen=True)
class Links:
    """Builds media URLs for one request: `files` is where stored files are fetched (a CDN, a
    bucket's public URL, or the CMS's /media), `renditions` the CMS's /media/r."""

    files: str
    renditions: str
    key: bytes
    min_width: int
    max_width: int

    def original(self, media: Media) -> str:
        return original_url(self.files, media)

    def rendition(self, media: Media, width: int | None, height: int | None, fmt: OutputFormat | None) -> str:
        """A signed URL of that rendition; media registered by URL are not resized by the CMS
        and answer their URL. Raises BadSize."""
        for side in (width, height):
            if side is not None and side < 1:
                raise BadSize("width and height must be at least 1")
        if media.storage_key is None or media.width is None or media.height is None:
            return self.original(media)
        width, height = (self._clamp(width), self._clamp(height))
        if width is not None or height is not None:
            box = rendition_box(media.width, media.height, width, height)
            width = box.width if width is not None else None
            height = box.height if height is not None else None
        focal = (media.focal_x, media.focal_y) if media.focal_x is not None and media.focal_y is not None else None
        rendition = Rendition(
            stem=stem_of(media.storage_key),
            width=width,
            height=height,
            focal=focal or (0.5, 0.5),
            fmt=fmt or SOURCE_FORMATS.get(media.mime_type, OutputFormat.PNG),
        )
        return f"{self.renditions}/{sign(self.key, rendition.path)}/{rendition.path}"

    def srcset(self, media: Media, widths: Sequence[int] | None, fmt: OutputFormat | None) -> str:
        """`url 320w, url 640w, ...`: one candidate per width, none wider than the source.
        Raises BadSize."""
        if media.storage_key is None or media.width is None:
            url = self.original(media)
            return f"{url} {media.width}w" if media.width else url
        if widths is not None and len(widths) > MAX_SRCSET_WIDTHS:
            raise BadSize(f"at most {MAX_SRCSET_WIDTHS} widths")
        candidates: dict[int, str] = {}
        for width in sorted(set(widths or DEFAULT_WIDTHS)):
            if width < 1:
                raise BadSize("widths must be at least 1")
            shown = min(self._clamp(width) or width, media.width)
            candidates.setdefault(shown, self.rendition(media, shown, None, fmt))
        return ", ".join(f"{url} {width}w" for width, url in sorted(candidates.items()))

    def _clamp(self, side: int | None) -> int | None:
        return None if side is None else max(self.min_width, min(side, self.max_width))
