"""Accepting an upload: checked, turned upright, stripped of its metadata, and re-encoded.

What is stored is always our own encoding of the decoded pixels, never the uploaded bytes: that
is what drops the EXIF (GPS included), XMP, IPTC, comments and text chunks, and anything hidden
around the image. The ICC profile is kept: it is colour, not metadata.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from blurhash._functions import ffi as _blurhash_ffi  # type: ignore[import-untyped]
from blurhash._functions import lib as _blurhash_lib
from PIL import ExifTags, Image, ImageFile, ImageOps, JpegImagePlugin

from cms.services.images import formats
from cms.services.images.formats import AVIF, GIF, JPEG, WEBP, Kind
from cms.services.images.metadata import find_credit, read_exif
from cms.services.images.pixels import flatten, to_rgb

# Re-encoding a JPEG that needs no turn reuses its quantisation tables ("keep"), so a stored
# photo loses next to nothing; a turned one is encoded afresh at this quality.
JPEG_QUALITY = 92
WEBP_QUALITY = 90
AVIF_QUALITY = 85
AVIF_SPEED = 6  # libavif's default: an upload is encoded once, renditions many times
BLURHASH_WIDTH = 64  # the blurhash is computed on a thumbnail this wide: the same hash, fast
_BLURHASH_COMPONENTS = (4, 3)
# The only entries of Pillow's `info` the encoders may see: a palette's transparent colour.
_KEPT_INFO = frozenset({"transparency"})


@dataclass(frozen=True)
class CleanImage:
    """An accepted upload, ready to store and serve."""

    data: bytes  # what is stored and served: orientation applied, every metadata block removed
    mime_type: str  # image/jpeg, image/png, image/webp, image/avif or image/gif
    extension: str  # jpg, png, webp, avif or gif
    width: int  # of `data`, after orientation
    height: int
    credit: str | None  # found in the IPTC, XMP or EXIF metadata of the upload, if any
    blurhash: str


def accept_upload(data: bytes, *, max_pixels: int) -> CleanImage:
    """Decide the type by the bytes, refuse what is not a JPEG, PNG, WebP, AVIF or GIF (or is
    truncated, corrupt, or over `max_pixels` before decoding), and clean it. Raises ImageRefused."""
    kind = formats.detect(data)
    formats.refuse_markup(data)
    image, frames = formats.open_within(data, kind, max_pixels)
    formats.load_frame(image, 0, kind)
    credit = find_credit(image)
    icc = image.info.get("icc_profile") or None
    turn = read_exif(image).get(ExifTags.Base.Orientation, 1) in range(2, 9)
    if frames == 1:
        first = ImageOps.exif_transpose(image) if turn else image
        stored = _encode_still(first, image, kind, data, icc, turned=turn)
    else:
        images, durations = _decode_animation(image, frames, kind, turn)
        first = images[0]
        stored = _encode_animation(images, durations, image.info.get("loop"), kind, data, icc)
    return CleanImage(
        data=stored,
        mime_type=kind.mime_type,
        extension=kind.extension,
        width=first.width,
        height=first.height,
        credit=credit,
        blurhash=_blurhash(first, icc),
    )


def _encode_still(
    image: Image.Image, source: ImageFile.ImageFile, kind: Kind, data: bytes, icc: bytes | None, *, turned: bool
) -> bytes:
    image.info = {k: v for k, v in image.info.items() if k in _KEPT_INFO}
    options: dict[str, Any] = {"icc_profile": icc} if icc else {}
    if kind is JPEG:
        if turned:
            options["quality"] = JPEG_QUALITY
            if (sampling := JpegImagePlugin.get_sampling(source)) != -1:
                options["subsampling"] = sampling  # 4:4:4 stays 4:4:4
        else:
            options["quality"] = "keep"
        options["optimize"] = True  # lossless: smaller Huffman tables
    options.update(_format_options(kind, data))
    out = io.BytesIO()
    image.save(out, kind.name, **options)
    return out.getvalue()


def _decode_animation(
    image: ImageFile.ImageFile, frames: int, kind: Kind, turn: bool
) -> tuple[list[Image.Image], list[float]]:
    """Every frame decoded (Pillow composes each over the ones before), upright, and how long
    each shows."""
    images: list[Image.Image] = []
    durations: list[float] = []
    for index in range(frames):
        formats.load_frame(image, index, kind)
        frame = image.copy()
        if turn:
            frame = ImageOps.exif_transpose(frame)
        frame.info = {k: v for k, v in frame.info.items() if k in _KEPT_INFO}
        images.append(frame)
        durations.append(image.info.get("duration", 0))
    return images, durations


def _encode_animation(
    images: list[Image.Image], durations: list[float], loop: int | None, kind: Kind, data: bytes, icc: bytes | None
) -> bytes:
    options: dict[str, Any] = {"save_all": True, "append_images": images[1:], "duration": durations}
    if loop is not None:  # a GIF without a loop count plays once
        options["loop"] = loop
    if icc:
        options["icc_profile"] = icc
    if kind is GIF:
        # The frames are whole pictures now: each replaces the last, or, when parts are
        # transparent, the last is cleared first so it does not show through.
        options["disposal"] = 2 if any(i.has_transparency_data for i in images) else 1
    options.update(_format_options(kind, data))
    out = io.BytesIO()
    images[0].save(out, kind.name, **options)
    return out.getvalue()


def _format_options(kind: Kind, data: bytes) -> dict[str, Any]:
    if kind is WEBP:
        if _webp_lossless(data):
            return {"lossless": True}
        return {"quality": WEBP_QUALITY, "method": 4}
    if kind is AVIF:
        return {"quality": AVIF_QUALITY, "speed": AVIF_SPEED}
    return {}  # PNG and GIF are lossless; JPEG is set above


def _webp_lossless(data: bytes) -> bool:
    """Whether a WebP's (first) image is lossless (VP8L), so it is kept lossless: a logo or a
    screenshot, where lossy artefacts show."""
    pos = 12
    while pos + 8 <= len(data):
        fourcc = data[pos : pos + 4]
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        if fourcc in (b"VP8 ", b"VP8L"):
            return fourcc == b"VP8L"
        if fourcc == b"ANMF":  # an animation frame: its image follows a 16-byte header
            return data[pos + 24 : pos + 28] == b"VP8L"
        pos += 8 + size + (size & 1)
    return False


def _blurhash(image: Image.Image, icc: bytes | None) -> str:
    """The blurhash of `image`, computed on a thumbnail BLURHASH_WIDTH wide.

    blurhash-python's encode() reads the pixels with Image.getdata, deprecated in Pillow 13 (a
    warning on every call; gone in 14), one Python object per pixel. This hands its C encoder the
    thumbnail's bytes instead, as encode() does once it has them; a test checks the two agree."""
    rgb, _ = to_rgb(image, icc)
    width = min(BLURHASH_WIDTH, rgb.width)
    height = max(1, round(rgb.height * width / rgb.width))
    thumbnail = flatten(rgb.resize((width, height), Image.Resampling.BOX))
    pixels = _blurhash_ffi.from_buffer("uint8_t[]", thumbnail.tobytes())
    out = _blurhash_ffi.new("char[]", 2 + 4 + (9 * 9 - 1) * 2 + 1)  # as encode() sizes it
    result = _blurhash_lib.create_hash_from_pixels(*_BLURHASH_COMPONENTS, width, height, pixels, width * 3, out)
    if result == _blurhash_ffi.NULL:
        raise ValueError("blurhash refused its components")
    return str(_blurhash_ffi.string(result).decode("ascii"))
