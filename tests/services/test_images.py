"""Checking, cleaning and resizing images. Every fixture is drawn with Pillow here; none is
committed."""

from __future__ import annotations

import io
import struct
import zlib

import blurhash
import pytest
from PIL import ExifTags, Image, ImageCms, ImageFile

from cms.services.images import (
    Box,
    ImageRefused,
    OutputFormat,
    accept_upload,
    render,
    rendition_box,
)

MAX_PIXELS = 60_000_000
RED, BLUE, GREEN, WHITE = (255, 0, 0), (0, 0, 255), (0, 128, 0), (255, 255, 255)
SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
RDF_NAMESPACES = (
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
    'xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"'
)


def encoded(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def halves(size=(40, 20), left=RED, right=BLUE, mode="RGB") -> Image.Image:
    """Left half one colour, right half another."""
    image = Image.new(mode, size, left)
    image.paste(right, (size[0] // 2, 0, size[0], size[1]))
    return image


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def near(pixel, colour, tolerance=10) -> bool:
    """A pixel of a lossy encoding matches a flat colour up to a few levels."""
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def jpeg_markers(data: bytes) -> list[int]:
    """The markers of a JPEG's segments, up to the start of its scan."""
    markers, pos = [], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        markers.append(data[pos + 1])
        if data[pos + 1] == 0xDA:
            break
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return markers


def png_chunks(data: bytes) -> list[str]:
    chunks, pos = [], 8
    while pos < len(data):
        size = int.from_bytes(data[pos : pos + 4], "big")
        chunks.append(data[pos + 4 : pos + 8].decode())
        pos += 12 + size
    return chunks


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a size its (one-row) data never fills."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00"))
        + png_chunk(b"IEND", b"")
    )


def with_iptc(jpeg: bytes, records: list[tuple[int, bytes]]) -> bytes:
    """`jpeg` with a Photoshop APP13 segment holding IPTC records 2:`dataset`, as agencies' tools
    write it."""
    iptc = b"".join(
        b"\x1c\x02" + bytes([dataset]) + len(value).to_bytes(2, "big") + value for dataset, value in records
    )
    resource = b"8BIM\x04\x04\x00\x00" + len(iptc).to_bytes(4, "big") + iptc + b"\x00" * (len(iptc) % 2)
    payload = b"Photoshop 3.0\x00" + resource
    return jpeg[:2] + b"\xff\xed" + (len(payload) + 2).to_bytes(2, "big") + payload + jpeg[2:]


def xmp_packet(description: str) -> bytes:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF {RDF_NAMESPACES}>{description}</rdf:RDF></x:xmpmeta>'
        '<?xpacket end="w"?>'
    ).encode()


def exif_with(**tags) -> Image.Exif:
    exif = Image.Exif()
    for name, value in tags.items():
        exif[ExifTags.Base[name]] = value
    return exif


def animated_gif(colours=(RED, GREEN, BLUE), size=(20, 20), **params) -> bytes:
    frames = [Image.new("RGB", size, colour) for colour in colours]
    return encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], **params)


# Accepted uploads


@pytest.mark.parametrize(
    ("fmt", "mime_type", "extension"),
    [
        ("JPEG", "image/jpeg", "jpg"),
        ("PNG", "image/png", "png"),
        ("WEBP", "image/webp", "webp"),
        ("AVIF", "image/avif", "avif"),
        ("GIF", "image/gif", "gif"),
    ],
    ids=["jpeg", "png", "webp", "avif", "gif"],
)
def test_each_format_is_accepted_as_itself(fmt, mime_type, extension):
    upload = encoded(halves((30, 20)), fmt)

    image = accept_upload(upload, max_pixels=MAX_PIXELS)

    assert (image.mime_type, image.extension, image.width, image.height) == (mime_type, extension, 30, 20)
    assert decoded(image.data).format == fmt
    assert decoded(image.data).size == (30, 20)
    assert len(image.blurhash) == 28
    assert blurhash.is_valid_blurhash(image.blurhash)
    assert image.credit is None


# blurhash-python's own encode() reads pixels with Image.getdata, which Pillow 13 deprecates;
# this test calls it on purpose, to check that our call of its C encoder agrees with it.
@pytest.mark.filterwarnings("ignore:Image.Image.getdata is deprecated:DeprecationWarning")
def test_blurhash_is_the_one_blurhash_python_computes():
    picture = Image.linear_gradient("L").resize((48, 32)).convert("RGB")
    picture.paste(BLUE, (0, 0, 16, 16))

    image = accept_upload(encoded(picture, "PNG"), max_pixels=MAX_PIXELS)

    assert image.blurhash == blurhash.encode(picture.copy(), 4, 3)


def test_a_large_photo_is_hashed_from_a_thumbnail_of_the_same_colour():
    image = accept_upload(encoded(Image.new("RGB", (1600, 1200), RED), "JPEG"), max_pixels=MAX_PIXELS)

    assert near(blurhash.decode(image.blurhash, 1, 1).getpixel((0, 0)), RED, tolerance=4)


# Refused uploads


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        pytest.param(b"", "The file is empty.", id="zero-bytes"),
        pytest.param(
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "The file is an SVG image, not a JPEG, PNG, WebP, AVIF or GIF image.",
            id="svg-with-script",
        ),
        pytest.param(
            b'<?xml version="1.0"?>\n<!DOCTYPE svg><svg width="10" height="10"></svg>',
            "The file is an SVG image, not a JPEG, PNG, WebP, AVIF or GIF image.",
            id="svg-with-xml-declaration",
        ),
        pytest.param(
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "The file is an HTML document, not a JPEG, PNG, WebP, AVIF or GIF image.",
            id="html-renamed-jpg",
        ),
        pytest.param(
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n",
            "The file is a PDF document, not a JPEG, PNG, WebP, AVIF or GIF image.",
            id="pdf",
        ),
        pytest.param(
            b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
            "The file is a HEIC image, not a JPEG, PNG, WebP, AVIF or GIF image.",
            id="heic",
        ),
        pytest.param(
            encoded(Image.new("RGB", (4, 4)), "BMP"),
            "The file is a BMP image, not a JPEG, PNG, WebP, AVIF or GIF image.",
            id="bmp",
        ),
        pytest.param(b"just some text", "The file is not a JPEG, PNG, WebP, AVIF or GIF image.", id="text"),
        pytest.param(
            b"\xff\xd8\xff\xe0 then nothing like a JPEG",
            "The file starts like a JPEG image but is not one.",
            id="jpeg-magic-only",
        ),
        pytest.param(
            encoded(Image.effect_noise((64, 64), 60), "JPEG")[:-400],
            "The JPEG image is truncated or corrupt.",
            id="truncated-jpeg",
        ),
        pytest.param(
            encoded(halves((64, 64)), "PNG")[:-30],
            "The PNG image is truncated or corrupt.",
            id="truncated-png",
        ),
        pytest.param(
            encoded(halves(), "JPEG") + b"<html><script>alert(document.cookie)</script></html>",
            "The file carries HTML or script besides the image.",
            id="jpeg-then-html",
        ),
        pytest.param(
            animated_gif() + b"<SCRIPT>alert(1)</SCRIPT>",
            "The file carries HTML or script besides the image.",
            id="gif-then-script",
        ),
    ],
)
def test_refused(upload, message):
    with pytest.raises(ImageRefused) as refused:
        accept_upload(upload, max_pixels=MAX_PIXELS)

    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("upload", "max_pixels", "message"),
    [
        pytest.param(
            png_claiming(100_000, 100_000),
            MAX_PIXELS,
            "The image is 100000 x 100000 pixels, more than the 60,000,000 allowed.",
            id="png-header",
        ),
        # Over Pillow's own limit (where Image.open would warn) but under ours: the smaller holds.
        pytest.param(
            png_claiming(10_000, 10_000),
            200_000_000,
            "The image is 10000 x 10000 pixels, more than the 89,478,485 allowed.",
            id="over-pillows-limit",
        ),
        pytest.param(
            encoded(Image.new("1", (2000, 2000)), "PNG"),
            1_000_000,
            "The image is 2000 x 2000 pixels, more than the 1,000,000 allowed.",
            id="small-file-many-pixels",
        ),
        # A 1 x 1 GIF whose frame claims 10000 x 10000, which Pillow's decoder would grow it to.
        pytest.param(
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00" + b"\x2c\x00\x00\x00\x00\x10\x27\x10\x27\x00\x02\x02\x44\x01\x00\x3b",
            1_000_000,
            "The image is 10000 x 10000 pixels, more than the 1,000,000 allowed.",
            id="gif-frame-outside",
        ),
        pytest.param(
            animated_gif(size=(20, 20)),
            1000,
            "The animation's 3 frames of 20 x 20 pixels come to more than the 1,000 pixels allowed.",
            id="animation",
        ),
    ],
)
def test_decompression_bombs_are_refused_before_decoding(upload, max_pixels, message):
    with pytest.raises(ImageRefused) as refused:
        accept_upload(upload, max_pixels=max_pixels)

    assert str(refused.value) == message
    assert Image.MAX_IMAGE_PIXELS == 89_478_485
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_a_jpeg_may_carry_other_binary_data_after_it():
    # A phone's motion photo appends a video after the JPEG; the stored copy drops it.
    upload = encoded(halves(), "JPEG") + b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 4

    image = accept_upload(upload, max_pixels=MAX_PIXELS)

    assert b"ftypmp42" not in image.data
    assert (image.width, image.height) == (40, 20)


# Cleaning


def test_exif_orientation_is_applied_and_exif_with_gps_removed():
    exif = exif_with(Orientation=6, Make="Camera", Copyright="")
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (52.0, 22.0, 1.5)}
    upload = encoded(halves((40, 20)), "JPEG", exif=exif, quality=95)
    assert decoded(upload).getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"

    image = accept_upload(upload, max_pixels=MAX_PIXELS)

    stored = decoded(image.data)
    assert (image.width, image.height) == (20, 40) == stored.size
    # Turned a quarter clockwise, as orientation 6 says: what was on the left is now on top.
    assert near(stored.getpixel((10, 5)), RED)
    assert near(stored.getpixel((10, 35)), BLUE)
    assert len(stored.getexif()) == 0
    assert b"Exif\x00\x00" not in image.data
    assert 0xE1 not in jpeg_markers(image.data)


def test_a_jpeg_keeps_its_icc_profile_and_loses_every_other_block():
    upload = with_iptc(
        encoded(
            halves(),
            "JPEG",
            icc_profile=SRGB_ICC,
            exif=exif_with(Artist="Jane Doe"),
            xmp=xmp_packet('<rdf:Description photoshop:Credit="Agency"/>'),
            comment=b"a comment",
        ),
        [(110, b"Agency")],
    )
    assert {0xE1, 0xE2, 0xED, 0xFE} <= set(jpeg_markers(upload))

    image = accept_upload(upload, max_pixels=MAX_PIXELS)

    markers = jpeg_markers(image.data)
    assert sorted({m for m in markers if 0xE0 <= m <= 0xEF or m == 0xFE}) == [0xE0, 0xE2]  # JFIF, ICC
    assert decoded(image.data).info["icc_profile"] == SRGB_ICC
    for leftover in (b"Photoshop 3.0", b"http://ns.adobe.com/xap/1.0/", b"a comment", b"Jane Doe", b"Agency"):
        assert leftover not in image.data


def test_a_png_loses_its_text_and_exif_chunks_but_keeps_pixels_and_profile():
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "secret")
    text.add_itxt("Author", "Jane Doe", zip=True)
    source = halves(mode="RGBA", right=(0, 0, 255, 0))
    upload = encoded(source, "PNG", pnginfo=text, icc_profile=SRGB_ICC, exif=exif_with(Artist="Jane Doe"))
    assert {"tEXt", "iTXt", "eXIf", "iCCP"} <= set(png_chunks(upload))

    image = accept_upload(upload, max_pixels=MAX_PIXELS)

    assert png_chunks(image.data) == ["IHDR", "iCCP", "IDAT", "IEND"]
    assert decoded(image.data).tobytes() == source.tobytes()
    assert image.credit == "Jane Doe"


def test_a_lossless_webp_stays_lossless():
    source = halves((30, 30), mode="RGBA", right=(0, 0, 255, 128))

    image = accept_upload(encoded(source, "WEBP", lossless=True), max_pixels=MAX_PIXELS)

    assert b"VP8L" in image.data[:64]
    assert decoded(image.data).tobytes() == source.tobytes()


def test_an_animated_gif_keeps_its_frames_and_timing_but_not_its_comment():
    upload = animated_gif(duration=[100, 200, 300], loop=0, comment=b"secret comment")

    image = accept_upload(upload, max_pixels=MAX_PIXELS)

    stored = Image.open(io.BytesIO(image.data))
    frames = []
    for index in range(stored.n_frames):
        stored.seek(index)
        frames.append((stored.convert("RGB").getpixel((5, 5)), stored.info["duration"]))
    assert frames == [(RED, 100), (GREEN, 200), (BLUE, 300)]
    assert stored.info["loop"] == 0
    assert b"secret comment" not in image.data
    assert (image.width, image.height) == (20, 20)


def test_an_animated_webp_keeps_its_frames():
    frames = [Image.new("RGB", (20, 20), colour) for colour in (RED, GREEN, BLUE)]
    upload = encoded(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=0)

    image = accept_upload(upload, max_pixels=MAX_PIXELS)

    stored = Image.open(io.BytesIO(image.data))
    shown = []
    for index in range(stored.n_frames):
        stored.seek(index)
        shown.append(near(stored.convert("RGB").getpixel((5, 5)), (RED, GREEN, BLUE)[index]))
    assert shown == [True, True, True]
    assert (image.mime_type, image.width, image.height) == ("image/webp", 20, 20)


def test_a_transparent_animation_stays_transparent_where_it_was():
    first = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    first.paste((*RED, 255), (0, 0, 10, 10))
    second = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    second.paste((*BLUE, 255), (10, 10, 20, 20))
    upload = encoded(first, "GIF", save_all=True, append_images=[second], disposal=2, duration=100)

    image = accept_upload(upload, max_pixels=MAX_PIXELS)

    stored = Image.open(io.BytesIO(image.data))
    stored.seek(1)
    assert stored.convert("RGBA").getpixel((2, 2))[3] == 0
    assert stored.convert("RGBA").getpixel((15, 15)) == (*BLUE, 255)


# Credit


@pytest.mark.parametrize(
    ("metadata", "credit"),
    [
        pytest.param({}, None, id="none"),
        pytest.param({"iptc": [(110, b"Reuters")]}, "Reuters", id="iptc-credit"),
        pytest.param({"iptc": [(116, "© Jane Doe".encode())]}, "© Jane Doe", id="iptc-copyright-utf8"),
        pytest.param({"iptc": [(116, "© Jane Doe".encode("latin-1"))]}, "© Jane Doe", id="iptc-copyright-latin1"),
        pytest.param({"iptc": [(80, b"Jane Doe"), (80, b"John Roe")]}, "Jane Doe, John Roe", id="iptc-bylines"),
        pytest.param(
            {"xmp": "<rdf:Description><photoshop:Credit>AFP / Jane Doe</photoshop:Credit></rdf:Description>"},
            "AFP / Jane Doe",
            id="xmp-credit-element",
        ),
        pytest.param({"xmp": '<rdf:Description photoshop:Credit="AFP"/>'}, "AFP", id="xmp-credit-attribute"),
        pytest.param(
            {"xmp": "<rdf:Description><Iptc4xmpCore:CreditLine>dpa</Iptc4xmpCore:CreditLine></rdf:Description>"},
            "dpa",
            id="xmp-credit-line",
        ),
        pytest.param(
            {
                "xmp": "<rdf:Description><dc:rights><rdf:Alt><rdf:li xml:lang='de'>© Agentur</rdf:li>"
                "<rdf:li xml:lang='x-default'>© Agency &amp; Co</rdf:li></rdf:Alt></dc:rights></rdf:Description>"
            },
            "© Agency & Co",
            id="xmp-rights-default-language",
        ),
        pytest.param(
            {
                "xmp": "<rdf:Description><dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li><rdf:li>John Roe</rdf:li>"
                "</rdf:Seq></dc:creator></rdf:Description>"
            },
            "Jane Doe, John Roe",
            id="xmp-creators",
        ),
        pytest.param({"exif": {"Copyright": "Jane Doe\x00Desk Editor"}}, "Jane Doe; Desk Editor", id="exif-copyright"),
        pytest.param({"exif": {"Artist": "Jane Doe"}}, "Jane Doe", id="exif-artist"),
        pytest.param(
            {
                "iptc": [(80, b"By-line")],
                "xmp": '<rdf:Description photoshop:Credit="XMP credit"/>',
                "exif": {"Copyright": "EXIF copyright"},
            },
            "XMP credit",
            id="a-credit-before-any-copyright",
        ),
        pytest.param(
            {"iptc": [(110, b"IPTC credit")], "xmp": '<rdf:Description photoshop:Credit="XMP credit"/>'},
            "IPTC credit",
            id="iptc-before-xmp",
        ),
        pytest.param(
            {
                "xmp": "<rdf:Description><dc:creator><rdf:Seq><rdf:li>Creator</rdf:li></rdf:Seq></dc:creator></rdf:Description>",
                "exif": {"Copyright": "EXIF copyright"},
            },
            "EXIF copyright",
            id="a-copyright-before-any-creator",
        ),
        pytest.param(
            {"iptc": [(110, "  Photo:\r\n\tJane\x07 Doe\x1b \u202eReuters  ".encode())]},
            "Photo: Jane Doe Reuters",
            id="control-characters",
        ),
        pytest.param({"iptc": [(110, b"x" * 300)]}, "x" * 200, id="at-most-200"),
        pytest.param({"iptc": [(110, b"   ")], "exif": {"Artist": "Jane Doe"}}, "Jane Doe", id="blank-is-none"),
        pytest.param(
            {
                "xmp": '<rdf:Description photoshop:Credit="not a credit"/>',
                "xmp_prefix": '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
                "exif": {"Artist": "Jane Doe"},
            },
            "Jane Doe",
            id="xmp-with-entities-ignored",
        ),
        pytest.param({"xmp": "<rdf:Description><broken>"}, None, id="xmp-not-well-formed"),
    ],
)
def test_credit_from_metadata(metadata, credit):
    params = {}
    if "xmp" in metadata:
        params["xmp"] = metadata.get("xmp_prefix", "").encode() + xmp_packet(metadata["xmp"])
    if "exif" in metadata:
        params["exif"] = exif_with(**metadata["exif"])
    upload = with_iptc(encoded(halves(), "JPEG", **params), metadata.get("iptc", []))

    image = accept_upload(upload, max_pixels=MAX_PIXELS)

    assert image.credit == credit
    assert 0xE1 not in jpeg_markers(image.data)
    assert 0xED not in jpeg_markers(image.data)


# Rendition sizes


@pytest.mark.parametrize(
    ("source", "asked", "box"),
    [
        pytest.param((1600, 900), (800, None), Box(800, 450), id="width-keeps-aspect"),
        pytest.param((1600, 900), (None, 300), Box(533, 300), id="height-keeps-aspect"),
        pytest.param((1600, 900), (400, 400), Box(400, 400), id="both-crop"),
        pytest.param((1600, 900), (2000, 1000), Box(1600, 800), id="both-scaled-down-not-up"),
        pytest.param((1600, 900), (800, 1800), Box(400, 900), id="both-taller-than-source"),
        pytest.param((1600, 900), (3200, None), Box(1600, 900), id="width-never-upscaled"),
        pytest.param((1600, 900), (None, 1000), Box(1600, 900), id="height-never-upscaled"),
        pytest.param((1600, 900), (None, None), Box(1600, 900), id="neither-is-source"),
        pytest.param((5000, 10), (100, None), Box(100, 1), id="at-least-one-pixel"),
        pytest.param((333, 333), (100, None), Box(100, 100), id="square"),
        pytest.param((1000, 3), (None, 2), Box(667, 2), id="rounded"),
    ],
)
def test_rendition_box(source, asked, box):
    assert rendition_box(*source, *asked) == box


@pytest.mark.parametrize(
    "asked", [(0, None), (None, -1), (10, 0)], ids=["zero-width", "negative-height", "zero-height"]
)
def test_rendition_box_refuses_sizes_below_one(asked):
    with pytest.raises(ValueError, match=r"^sizes must be at least 1$"):
        rendition_box(100, 100, *asked)


# Renditions


@pytest.fixture(scope="module")
def stored_jpeg() -> bytes:
    return accept_upload(encoded(halves((400, 200)), "JPEG", quality=95), max_pixels=MAX_PIXELS).data


@pytest.mark.parametrize("fmt", list(OutputFormat), ids=[f.value for f in OutputFormat])
@pytest.mark.parametrize(
    ("width", "height", "size"),
    [(100, None, (100, 50)), (None, 40, (80, 40)), (60, 60, (60, 60)), (None, None, (400, 200))],
    ids=["width", "height", "both", "neither"],
)
def test_render_sizes_in_each_format(stored_jpeg, fmt, width, height, size):
    data = render(stored_jpeg, width=width, height=height, fmt=fmt, focal=(0.5, 0.5))

    image = decoded(data)
    assert (image.format, image.size) == (fmt.name, size)
    assert image.info.get("exif") is None
    assert image.info.get("xmp") is None


@pytest.mark.parametrize("source_format", ["PNG", "JPEG"])
@pytest.mark.parametrize(("focal", "colour"), [((0.1, 0.5), RED), ((0.9, 0.5), BLUE)], ids=["left", "right"])
def test_a_crop_shows_the_side_the_focal_point_is_on(source_format, focal, colour):
    # From the JPEG, libjpeg decodes at a quarter size first: the crop must follow it. The
    # halves meet 50 pixels off the crop's edge, beyond the reach of the resampling filter.
    stored = encoded(halves((900, 400)), source_format)

    data = render(stored, width=100, height=100, fmt=OutputFormat.PNG, focal=focal)

    image = decoded(data)
    assert image.size == (100, 100)
    assert near(image.getpixel((0, 0)), colour)
    assert near(image.getpixel((99, 99)), colour)


def test_a_centred_crop_keeps_the_middle():
    stored = encoded(halves((300, 100)), "PNG")

    image = decoded(render(stored, width=100, height=100, fmt=OutputFormat.PNG, focal=(0.5, 0.5)))

    assert image.getpixel((10, 50)) == RED
    assert image.getpixel((90, 50)) == BLUE


def test_a_rendition_is_never_larger_than_its_source():
    stored = encoded(halves((160, 90)), "PNG")

    image = decoded(render(stored, width=2000, height=1000, fmt=OutputFormat.WEBP, focal=(0.5, 0.5)))

    assert image.size == (160, 80)


def test_transparency_becomes_white_in_a_jpeg_and_stays_in_webp():
    stored = encoded(halves((40, 20), mode="RGBA", left=(0, 0, 0, 0), right=(*RED, 255)), "PNG")

    jpeg = decoded(render(stored, width=None, height=None, fmt=OutputFormat.JPEG, focal=(0.5, 0.5)))
    webp = decoded(render(stored, width=None, height=None, fmt=OutputFormat.WEBP, focal=(0.5, 0.5)))

    assert jpeg.mode == "RGB"
    assert near(jpeg.getpixel((5, 10)), WHITE)
    assert near(jpeg.getpixel((35, 10)), RED)
    assert webp.mode == "RGBA"
    assert webp.getpixel((5, 10))[3] == 0


def test_a_gif_renders_its_first_frame():
    image = decoded(render(animated_gif(), width=10, height=None, fmt=OutputFormat.PNG, focal=(0.5, 0.5)))

    assert (image.size, image.getpixel((5, 5))) == ((10, 10), RED)


@pytest.mark.parametrize(
    ("source", "colour"),
    [
        pytest.param(Image.new("P", (20, 20), 3), None, id="palette"),
        pytest.param(Image.new("CMYK", (20, 20), (0, 255, 255, 0)), RED, id="cmyk"),
        pytest.param(Image.new("I;16", (20, 20), 40000), (156, 156, 156), id="grey-16-bit"),
        pytest.param(Image.new("LA", (20, 20), (200, 255)), (200, 200, 200), id="grey-alpha"),
    ],
)
def test_other_colour_modes_render_as_rgb(source, colour):
    fmt = "JPEG" if source.mode == "CMYK" else "PNG"
    expected = colour or source.convert("RGB").getpixel((0, 0))

    image = decoded(render(encoded(source, fmt), width=10, height=None, fmt=OutputFormat.JPEG, focal=(0.5, 0.5)))

    assert image.mode == "RGB"
    assert near(image.getpixel((5, 5)), expected)


def test_a_rendition_keeps_an_rgb_icc_profile_and_nothing_else():
    stored = accept_upload(encoded(halves(), "JPEG", icc_profile=SRGB_ICC), max_pixels=MAX_PIXELS).data

    data = render(stored, width=20, height=None, fmt=OutputFormat.JPEG, focal=(0.5, 0.5))

    assert decoded(data).info["icc_profile"] == SRGB_ICC
    assert sorted({m for m in jpeg_markers(data) if 0xE0 <= m <= 0xEF or m == 0xFE}) == [0xE0, 0xE2]


def test_render_refuses_bytes_that_are_not_an_image():
    with pytest.raises(ImageRefused) as refused:
        render(b"%PDF-1.7", width=10, height=None, fmt=OutputFormat.JPEG, focal=(0.5, 0.5))

    assert str(refused.value) == "The file is a PDF document, not a JPEG, PNG, WebP, AVIF or GIF image."
