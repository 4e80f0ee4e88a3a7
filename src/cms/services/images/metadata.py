"""Reading the metadata an upload arrived with (IPTC, XMP, EXIF), which is then not stored.

The credit is the credit line if there is one, else the copyright notice, else the creator;
within each, IPTC first (what agencies' tools write), then XMP, then EXIF.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from collections.abc import Iterable
from xml.etree import ElementTree

from PIL import ExifTags, Image

MAX_CREDIT = 200

_IPTC_CREDIT, _IPTC_COPYRIGHT, _IPTC_BYLINE = (2, 110), (2, 116), (2, 80)
_IPTC_NAA = 0x0404  # the Photoshop image resource that holds the IPTC records

_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_XMP_CREDIT = ("{http://ns.adobe.com/photoshop/1.0/}Credit", "{http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/}CreditLine")
_XMP_RIGHTS = (f"{_DC}rights",)
_XMP_CREATOR = (f"{_DC}creator",)
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# Invisible characters that reorder how the text around them is shown.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def find_credit(image: Image.Image) -> str | None:
    """The credit for `image` (decoded, so late PNG chunks are read) from its metadata, cleaned
    for display, or None."""
    iptc = _iptc(image.info.get("photoshop"))
    xmp = _xmp_root(image.info.get("xmp"))
    exif = read_exif(image)
    tiers = (
        (iptc.get(_IPTC_CREDIT), _xmp_value(xmp, _XMP_CREDIT)),
        (iptc.get(_IPTC_COPYRIGHT), _xmp_value(xmp, _XMP_RIGHTS), _exif_text(exif, ExifTags.Base.Copyright)),
        (iptc.get(_IPTC_BYLINE), _xmp_value(xmp, _XMP_CREATOR), _exif_text(exif, ExifTags.Base.Artist)),
    )
    for tier in tiers:
        for value in tier:
            if cleaned := clean_text(value):
                return cleaned
    return None


def clean_text(value: str | None) -> str | None:
    """`value` on one line: runs of white space (new lines too) as one space, control and
    direction-changing characters removed, trimmed, at most MAX_CREDIT characters; None if
    nothing is left."""
    if value is None:
        return None
    text = " ".join(value.split())
    text = "".join(c for c in text if unicodedata.category(c) != "Cc" and c not in _BIDI_CONTROLS)
    return text.strip()[:MAX_CREDIT].rstrip() or None


def _iptc(photoshop: object) -> dict[tuple[int, int], str]:
    """The IPTC records of a JPEG's Photoshop APP13 block (which Pillow parses into
    info["photoshop"]), a repeated record's values joined by commas.

    Parsed here rather than with Pillow's getiptcinfo, which runs its IPTC image decoder over
    the block and so can fail in that decoder's ways on a hostile one."""
    block = photoshop.get(_IPTC_NAA) if isinstance(photoshop, dict) else None
    if not isinstance(block, bytes):
        return {}
    records: dict[tuple[int, int], list[bytes]] = {}
    pos = 0
    while pos + 5 <= len(block) and block[pos] == 0x1C:
        record, dataset, size = struct.unpack_from(">BBH", block, pos + 1)
        pos += 5
        if size & 0x8000:  # extended: the low bits say how many bytes hold the length
            width = size & 0x7FFF
            size = int.from_bytes(block[pos : pos + width], "big")
            pos += width
        records.setdefault((record, dataset), []).append(block[pos : pos + size])
        pos += size
    return {key: ", ".join(_decode(v) for v in values) for key, values in records.items()}


def _decode(raw: bytes) -> str:
    # UTF-8 is what tools write now, declared (record 1:90) or not; older ones wrote Latin-1.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _xmp_root(packet: object) -> ElementTree.Element | None:
    """The parsed XMP packet, or None when there is none or it is not well-formed.

    ElementTree rather than a regular expression: XMP may give a property as an attribute or an
    element, in an rdf:Alt or rdf:Seq, with escaped characters, and a parser gets all of those
    right. ElementTree fetches nothing external, but expat would expand entities declared in a
    DTD (the "billion laughs"); XMP never needs a DTD, so a packet with one is not parsed."""
    if isinstance(packet, str):
        packet = packet.encode()
    if not isinstance(packet, bytes) or not packet or _DTD.search(packet):
        return None
    try:
        return ElementTree.fromstring(packet.strip(b"\x00 \t\r\n"))  # noqa: S314 (no DTD: see above)
    except ElementTree.ParseError:
        return None


def _xmp_value(root: ElementTree.Element | None, names: Iterable[str]) -> str | None:
    """The first of the properties `names` the packet has: a language alternative's default
    text, a list's items joined by commas, or the plain text."""
    if root is None:
        return None
    for name in names:
        for description in root.iter(f"{_RDF}Description"):
            if (value := description.get(name)) is not None:
                return value
        for element in root.iter(name):
            items = list(element.iter(f"{_RDF}li"))
            if element.find(f"{_RDF}Alt") is not None and items:
                default = next((li for li in items if li.get(_XML_LANG) == "x-default"), items[0])
                return default.text
            if items:
                return ", ".join(li.text.strip() for li in items if li.text and li.text.strip())
            if element.text:
                return element.text
    return None


def read_exif(image: Image.Image) -> Image.Exif:
    """The EXIF of `image`; empty when it has none or it cannot be parsed."""
    try:
        return image.getexif()
    except (SyntaxError, ValueError, struct.error, OSError):  # a broken block is as good as none
        return Image.Exif()


def _exif_text(exif: Image.Exif, tag: int) -> str | None:
    value = exif.get(tag)
    if isinstance(value, bytes):
        value = _decode(value)
    if not isinstance(value, str):
        return None
    # EXIF Copyright may hold the photographer's and the editor's notices, NUL between them.
    return "; ".join(part.strip() for part in value.split("\x00") if part.strip())
