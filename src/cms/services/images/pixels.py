"""Colour modes and profiles: any decoded image as the RGB or RGBA that encoders and the blurhash
take, with the ICC profile that still describes it."""

from __future__ import annotations

import io

from PIL import Image, ImageCms

WHITE = (255, 255, 255)


def to_rgb(image: Image.Image, icc: bytes | None) -> tuple[Image.Image, bytes | None]:
    """`image` as RGB, or RGBA when it has transparency, and the ICC profile that applies to the
    result: the original one when it is an RGB profile, else none (sRGB, the web's default)."""
    if image.mode == "CMYK":
        return _from_cmyk(image, icc), None
    if image.mode.startswith("I"):
        # 16-bit grey (PNG): Pillow's conversion to 8 bits clips rather than scales.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    return image, icc if colour_space(icc) == b"RGB " else None


def flatten(image: Image.Image) -> Image.Image:
    """An RGB or RGBA image as RGB, transparent parts on white (what a JPEG shows)."""
    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, WHITE)
    background.paste(image, mask=image.getchannel("A"))
    return background


def colour_space(icc: bytes | None) -> bytes | None:
    """The colour space an ICC profile is for, from its header: b"RGB ", b"GRAY", b"CMYK"."""
    return icc[16:20] if icc and len(icc) >= 128 else None


def _from_cmyk(image: Image.Image, icc: bytes | None) -> Image.Image:
    # Print CMYK needs its own profile to come out right on screen; without a usable one,
    # Pillow's plain formula is the best there is.
    if colour_space(icc) == b"CMYK":
        try:
            # Profiles made per call: LittleCMS profiles are not to be shared between threads.
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc or b""))
            srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
            converted = ImageCms.profileToProfile(image, profile, srgb, outputMode="RGB")
        except ImageCms.PyCMSError:
            converted = None
        if converted is not None:
            return converted
    return image.convert("RGB")
