"""Renditions: a stored image resized, cropped around its focal point, and encoded for the web."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PIL import Image

from cms.services.images import formats
from cms.services.images.pixels import flatten, to_rgb

# reduce() by whole factors first, then Lanczos over at least 3x the target: as sharp as Lanczos
# all the way (Pillow's documentation), at a fraction of the time on a large downscale.
_REDUCING_GAP = 3.0


class OutputFormat(StrEnum):
    """The formats renditions are encoded in."""

    JPEG = "jpeg"
    PNG = "png"
    WEBP = "webp"
    AVIF = "avif"


# Sizes for the web, at quality that holds up on photos; no metadata (the ICC profile may stay).
# PNG at zlib's default level, not optimize=True (level 9): on a 1200-wide photo that took 3.0 s
# against 0.22 s, for a file 8% smaller. AVIF on one thread, since the server renders several at
# once, at libavif's default speed 6: 0.7 s there; speeds 7 and up were 2-5x faster but band
# gradients on photos.
_ENCODINGS: dict[OutputFormat, tuple[str, dict[str, Any]]] = {
    OutputFormat.JPEG: ("JPEG", {"quality": 82, "progressive": True, "optimize": True}),
    OutputFormat.PNG: ("PNG", {"compress_level": 6}),
    OutputFormat.WEBP: ("WEBP", {"quality": 80, "method": 4}),
    OutputFormat.AVIF: ("AVIF", {"quality": 60, "speed": 6, "max_threads": 1}),
}


@dataclass(frozen=True)
class Box:
    """The size of a rendition. When both sides were asked for, the part of the source it shows
    is the largest of its aspect ratio around the focal point, which render() works out."""

    width: int
    height: int


def rendition_box(source_width: int, source_height: int, width: int | None, height: int | None) -> Box:
    """The size a rendition asked for as `width` x `height` comes out at: one side given keeps
    the aspect ratio; both give that aspect ratio (a crop); never larger than the source.
    Raises ValueError for a size below 1."""
    if any(side is not None and side < 1 for side in (source_width, source_height, width, height)):
        raise ValueError("sizes must be at least 1")
    if width is None:
        if height is None:
            return Box(source_width, source_height)
        h = min(height, source_height)
        return Box(_side(source_width * h / source_height), h)
    if height is None:
        w = min(width, source_width)
        return Box(w, _side(source_height * w / source_width))
    scale = min(1.0, source_width / width, source_height / height)
    return Box(_side(width * scale), _side(height * scale))


def render(
    data: bytes, *, width: int | None, height: int | None, fmt: OutputFormat, focal: tuple[float, float]
) -> bytes:
    """A rendition of the stored image `data` (the first frame of a GIF), sized by rendition_box,
    cropped around `focal` ((x, y) in 0..1 from the top left) when both sides are given, and
    encoded as `fmt`. Raises ImageRefused when `data` cannot be decoded."""
    kind = formats.detect(data)
    image = formats.open_image(data, kind)
    icc = image.info.get("icc_profile") or None
    source_width, source_height = image.size
    box = rendition_box(source_width, source_height, width, height)
    region = (
        _focal_region(source_width, source_height, box, focal)
        if width is not None and height is not None
        else (0.0, 0.0, float(source_width), float(source_height))
    )
    if kind is formats.JPEG:
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the rendition needs no more: most of
        # the work of a large downscale, skipped.
        left, top, right, bottom = region
        needed_width = math.ceil(source_width * box.width / (right - left))
        needed_height = math.ceil(source_height * box.height / (bottom - top))
        image.draft(image.mode, (needed_width, needed_height))
        sx, sy = image.width / source_width, image.height / source_height
        region = (left * sx, top * sy, right * sx, bottom * sy)
    formats.load_frame(image, 0, kind)
    pixels, icc = to_rgb(image, icc)
    if (box.width, box.height) != pixels.size or region != (0, 0, *pixels.size):
        pixels = pixels.resize(
            (box.width, box.height), Image.Resampling.LANCZOS, box=region, reducing_gap=_REDUCING_GAP
        )
    if fmt is OutputFormat.JPEG:
        pixels = flatten(pixels)
    pillow_name, options = _ENCODINGS[fmt]
    pixels.info = {}
    if icc:
        options = {**options, "icc_profile": icc}
    out = io.BytesIO()
    pixels.save(out, pillow_name, **options)
    return out.getvalue()


def _side(value: float) -> int:
    return max(1, round(value))


def _focal_region(
    source_width: int, source_height: int, box: Box, focal: tuple[float, float]
) -> tuple[float, float, float, float]:
    """The largest part of the source with the box's aspect ratio, as centred on the focal point
    as the source's edges allow: (left, top, right, bottom)."""
    aspect = box.width / box.height
    width = min(float(source_width), source_height * aspect)
    height = min(float(source_height), source_width / aspect)
    left = _clamp(_unit(focal[0]) * source_width - width / 2, source_width - width)
    top = _clamp(_unit(focal[1]) * source_height - height / 2, source_height - height)
    return (left, top, left + width, top + height)


def _unit(value: float) -> float:
    return min(max(value, 0.0), 1.0) if math.isfinite(value) else 0.5


def _clamp(value: float, highest: float) -> float:
    return min(max(value, 0.0), max(highest, 0.0))
