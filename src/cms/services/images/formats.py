"""What an upload is, decided by its bytes, and opening it with that format's decoder only.

The rule against polyglots (files that are two things at once): the type is the one the leading
magic bytes name, and only that format's Pillow decoder ever reads the bytes. Pillow is never
asked to guess, so the type we detect and the decoder that must fully decode the file cannot
disagree: bytes that start like a JPEG but are something else fail the JPEG decoder. Whatever
surrounds the image (an HTML page after the JPEG's end, a ZIP, a phone's motion-photo video) is
dropped, since what is stored is always our own re-encoding; and a file that carries HTML or
script anywhere is refused outright, as no honest photo does.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from PIL import (
    AvifImagePlugin,
    GifImagePlugin,
    Image,
    ImageFile,
    JpegImagePlugin,
    PngImagePlugin,
    WebPImagePlugin,
)

from cms.services.images.errors import ImageRefused


@dataclass(frozen=True)
class Kind:
    """An image format the CMS accepts."""

    name: str  # Pillow's name for it, which its decoder reports and its encoder takes
    label: str  # for the uploader
    mime_type: str
    extension: str
    decoder: Callable[[IO[bytes]], ImageFile.ImageFile]  # Pillow's plugin class for it


# JpegImageFile, not Pillow's jpeg_factory: a camera's multi-picture JPEG (MPO) is then read as
# the JPEG it starts with, and Pillow's MPO code (which checks sizes against its own global
# limit, and may warn) never runs.
JPEG = Kind("JPEG", "JPEG", "image/jpeg", "jpg", JpegImagePlugin.JpegImageFile)
PNG = Kind("PNG", "PNG", "image/png", "png", PngImagePlugin.PngImageFile)
WEBP = Kind("WEBP", "WebP", "image/webp", "webp", WebPImagePlugin.WebPImageFile)
AVIF = Kind("AVIF", "AVIF", "image/avif", "avif", AvifImagePlugin.AvifImageFile)
GIF = Kind("GIF", "GIF", "image/gif", "gif", GifImagePlugin.GifImageFile)

ACCEPTED = "a JPEG, PNG, WebP, AVIF or GIF image"
# An animation may decode to no more pixels in all than a still image may, and no more frames.
MAX_FRAMES = 1000

# Pillow's decoders raise any of these on bytes they cannot read; Image.open itself catches the
# first four when it tries a plugin.
_UNREADABLE = (SyntaxError, IndexError, TypeError, struct.error, OSError, ValueError, EOFError, KeyError)
# Tags that mean a web page or active content, anywhere in the file. Compressed image data is
# close to random bytes, where a chance match of these is under one in 2**48 per position: one
# in some ten million 25 MB uploads. (A shorter list, with <svg or <html, would refuse about
# one such upload in seven hundred.)
_MARKUP = re.compile(rb"<(?:script|iframe|object|embed)[\s/>]|<!doctype\s+html", re.IGNORECASE)
_OTHERS = (
    (b"%PDF-", "a PDF document"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
    (b"PK\x03\x04", "a ZIP archive"),
)
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})


def detect(data: bytes) -> Kind:
    """The format the magic numbers at the start of `data` name. Raises ImageRefused."""
    if not data:
        raise ImageRefused("The file is empty.")
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if _ftyp_brands(data) & {b"avif", b"avis"}:
        return AVIF
    what = _what_else(data)
    raise ImageRefused(f"The file is {what}, not {ACCEPTED}." if what else f"The file is not {ACCEPTED}.")


def refuse_markup(data: bytes) -> None:
    """Refuse a file that carries a web page or script besides the image. Raises ImageRefused."""
    if _MARKUP.search(data):
        raise ImageRefused("The file carries HTML or script besides the image.")


def open_within(data: bytes, kind: Kind, max_pixels: int) -> tuple[ImageFile.ImageFile, int]:
    """The image opened (headers read, nothing decoded) and its number of frames, once its size
    and frames are known to fit `max_pixels`. Raises ImageRefused."""
    # Pillow's GIF decoder grows the image to fit any frame that lies outside it, checking
    # Pillow's global limit (and warning) as it goes; its frames are measured before it runs.
    limit = _limit(max_pixels)
    canvas = _gif_canvas(data) if kind is GIF else None
    if canvas:
        _check_pixels(*canvas, 1, limit)
    image = open_image(data, kind)
    try:
        frames: int = getattr(image, "n_frames", 1)  # from the headers; GIF frames are skipped, not decoded
    except _UNREADABLE as exc:
        raise ImageRefused(f"The {kind.label} image is truncated or corrupt.") from exc
    _check_pixels(*(canvas or image.size), frames, limit)
    return image, frames


def open_image(data: bytes, kind: Kind) -> ImageFile.ImageFile:
    """`data` opened by the decoder of `kind` alone; only the headers are read. Raises
    ImageRefused.

    Not Image.open, which would also check the size against Pillow's global limit and warn
    above it (warnings filters are process-wide, not safe to change from worker threads):
    open_within checks the caller's limit instead, before anything is decoded."""
    try:
        return kind.decoder(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise ImageRefused("The image is larger than allowed.") from exc
    except _UNREADABLE as exc:
        raise ImageRefused(f"The file starts like a {kind.label} image but is not one.") from exc


def load_frame(image: ImageFile.ImageFile, index: int, kind: Kind) -> None:
    """Decode frame `index` of `image` in full, which is how a truncated or corrupt file shows
    (LOAD_TRUNCATED_IMAGES stays False). Raises ImageRefused."""
    try:
        image.seek(index)
        image.load()
    except Image.DecompressionBombError as exc:
        raise ImageRefused("The image is larger than allowed.") from exc
    except _UNREADABLE as exc:
        raise ImageRefused(f"The {kind.label} image is truncated or corrupt.") from exc


def _limit(max_pixels: int) -> int:
    # Read, never set: staying under Pillow's own limit too means the decoders that still
    # consult it have no cause to warn.
    pillows = Image.MAX_IMAGE_PIXELS
    return max_pixels if pillows is None else min(max_pixels, pillows)


def _check_pixels(width: int, height: int, frames: int, limit: int) -> None:
    if width * height > limit:
        raise ImageRefused(f"The image is {width} x {height} pixels, more than the {limit:,} allowed.")
    if frames > MAX_FRAMES:
        raise ImageRefused(f"The animation has {frames} frames, more than the {MAX_FRAMES} allowed.")
    if frames * width * height > limit:
        raise ImageRefused(
            f"The animation's {frames} frames of {width} x {height} pixels come to more than "
            f"the {limit:,} pixels allowed."
        )


def _gif_canvas(data: bytes) -> tuple[int, int]:
    """The area a GIF's frames cover: its logical screen, grown by any frame lying outside it,
    read from the block headers as Pillow walks them, without decoding."""
    if len(data) < 13:
        raise ImageRefused("The file starts like a GIF image but is not one.")
    width, height = struct.unpack_from("<HH", data, 6)
    pos = 13 + _colour_table_size(data[10])
    while pos < len(data):
        block = data[pos]
        if block == 0x3B:  # trailer
            break
        if block == 0x2C and pos + 10 <= len(data):  # image descriptor, then its data
            left, top, w, h = struct.unpack_from("<4H", data, pos + 1)
            width, height = max(width, left + w), max(height, top + h)
            pos = _skip_sub_blocks(data, pos + 10 + _colour_table_size(data[pos + 9]) + 1)
        elif block == 0x21:  # extension: its label, then data
            pos = _skip_sub_blocks(data, pos + 2)
        else:  # a stray byte, which Pillow skips too
            pos += 1
    return width, height


def _colour_table_size(flags: int) -> int:
    return 3 << ((flags & 7) + 1) if flags & 0x80 else 0


def _skip_sub_blocks(data: bytes, pos: int) -> int:
    while pos < len(data) and data[pos]:
        pos += data[pos] + 1
    return pos + 1


def _ftyp_brands(data: bytes) -> set[bytes]:
    """The major and compatible brands of an ISO media file's leading `ftyp` box (AVIF, HEIC)."""
    if data[4:8] != b"ftyp":
        return set()
    size = int.from_bytes(data[:4], "big")
    if size < 16 or size > len(data):
        return set()
    return {data[8:12]} | {data[i : i + 4] for i in range(16, size - 3, 4)}


def _what_else(data: bytes) -> str | None:
    """What a refused file seems to be, to say so to the uploader."""
    for magic, what in _OTHERS:
        if data.startswith(magic):
            return what
    if _ftyp_brands(data) & _HEIF_BRANDS:
        return "a HEIC image"
    if data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        if re.search(rb"<svg[\s>]", data, re.IGNORECASE):
            return "an SVG image"
        if re.search(rb"<html[\s>]|<!doctype\s+html", data, re.IGNORECASE):
            return "an HTML document"
        return "an XML document"
    return None
