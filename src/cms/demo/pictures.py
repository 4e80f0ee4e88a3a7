"""The demo's photos, drawn here with Pillow: a newsroom that works offline on a fresh machine
needs pictures of its own, uploaded through the same pipeline as an editor's.

Each is an evening scene (a sky, a low sun, a skyline or a shore) in colours taken from its
name, so every photo differs and the same name always draws the same bytes: loading the demo
again uploads nothing twice. Portraits are a head and shoulders on a plain ground.
"""

from __future__ import annotations

import hashlib
import io
import random

from PIL import Image, ImageDraw, ImageFilter

from cms.demo.spec import PhotoSpec

# Dusk, dawn, midday and night skies: (top, horizon).
SKIES = [
    ((28, 42, 84), (236, 142, 88)),
    ((64, 104, 168), (248, 206, 160)),
    ((92, 150, 210), (206, 228, 240)),
    ((14, 18, 40), (70, 64, 120)),
    ((120, 90, 140), (250, 180, 120)),
]


def draw(spec: PhotoSpec) -> bytes:
    """The photo `spec` names, as a JPEG of its size; the same bytes every time."""
    rng = random.Random(hashlib.sha256(spec.name.encode()).digest())  # noqa: S311 - pictures, not secrets
    image = _portrait(spec, rng) if spec.width == spec.height else _scene(spec, rng)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def _gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _scene(spec: PhotoSpec, rng: random.Random) -> Image.Image:
    w, h = spec.width, spec.height
    top, horizon = rng.choice(SKIES)
    image = _gradient((w, h), top, horizon)
    pen = ImageDraw.Draw(image)
    line = int(h * rng.uniform(0.55, 0.72))
    sun_x, radius = int(w * rng.uniform(0.2, 0.8)), int(h * rng.uniform(0.06, 0.12))
    pen.ellipse((sun_x - radius, line - radius * 2, sun_x + radius, line), fill=(255, 226, 170))
    ground = tuple(max(0, int(c * 0.35)) for c in top)
    if rng.random() < 0.5:  # a skyline
        x = 0
        while x < w:
            width, height = rng.randint(w // 40, w // 12), rng.randint(h // 12, h // 3)
            pen.rectangle((x, line - height, x + width, h), fill=ground)
            for wy in range(line - height + 12, line, 22):  # lit windows
                for wx in range(x + 6, x + width - 8, 16):
                    if rng.random() < 0.3:
                        pen.rectangle((wx, wy, wx + 6, wy + 9), fill=(250, 214, 120))
            x += width + rng.randint(0, w // 60)
    else:  # a shore, with the sun on the water
        pen.rectangle((0, line, w, h), fill=tuple(int(c * 0.6) for c in horizon))
        for y in range(line + 6, h, 9):
            half = int(radius * (1.2 + (y - line) / h))
            pen.line((sun_x - half, y, sun_x + half, y), fill=(255, 214, 150), width=2)
    return image.filter(ImageFilter.GaussianBlur(1.2))


def _shifted(color: tuple[int, int, int], rng: random.Random) -> tuple[int, int, int]:
    r, g, b = (min(255, max(0, c + rng.randint(-40, 40))) for c in color)
    return (r, g, b)


def _portrait(spec: PhotoSpec, rng: random.Random) -> Image.Image:
    size = spec.width
    # A ground of its own for each portrait, so that no two are the same picture.
    top, horizon = (_shifted(color, rng) for color in rng.choice(SKIES))
    image = _gradient((size, size), horizon, top)
    pen = ImageDraw.Draw(image)
    skin = rng.choice([(241, 194, 160), (198, 134, 96), (141, 85, 54), (224, 172, 138)])
    coat = tuple(int(c * 0.5) for c in top)
    pen.ellipse((size * 0.18, size * 0.68, size * 0.82, size * 1.3), fill=coat)
    pen.ellipse((size * 0.33, size * 0.22, size * 0.67, size * 0.64), fill=skin)
    return image
