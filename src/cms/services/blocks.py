"""Article bodies: an ordered list of typed blocks, checked, converted from Markdown and rendered.

Blocks are stored as JSON objects with a "type" key:
paragraph {html}, heading {level, text}, image {mediaId, caption}, quote {text, attribution},
list {ordered, items}, embed {url, provider}.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, cast
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from cms.services.errors import Problems
from cms.services.text import html_to_text, is_web_url, sanitize_inline

Block = dict[str, Any]

WORDS_PER_MINUTE = 230
MAX_BLOCKS = 1000
_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")  # words, with apostrophes inside
_PROVIDERS = {
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "vimeo.com": "Vimeo",
    "twitter.com": "X",
    "x.com": "X",
    "instagram.com": "Instagram",
    "facebook.com": "Facebook",
    "tiktok.com": "TikTok",
    "soundcloud.com": "SoundCloud",
    "spotify.com": "Spotify",
    "datawrapper.de": "Datawrapper",
}


@dataclass(frozen=True)
class ShownImage:
    """What a body's HTML shows of a media item."""

    url: str
    alt: str | None
    credit: str | None


def embed_provider(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").removeprefix("www.").removeprefix("m.")
    for domain, name in _PROVIDERS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return None


def check_blocks(problems: Problems, path: Sequence[str], blocks: Sequence[Block]) -> list[Block]:
    """Check and normalise input blocks; paragraphs and list items are sanitised."""
    if len(blocks) > MAX_BLOCKS:
        problems.add(path, f"a body has at most {MAX_BLOCKS} blocks")
    out: list[Block] = []
    for i, block in enumerate(blocks):
        kind = block["type"]
        at = [*path, str(i), kind]
        if kind == "paragraph":
            html = sanitize_inline(block["html"])
            if not html_to_text(html):
                problems.add([*at, "html"], "a paragraph must have text")
            out.append({"type": kind, "html": html})
        elif kind == "heading":
            level, text = block["level"], block["text"].strip()
            if not 2 <= level <= 6:
                problems.add([*at, "level"], "a heading level is 2 to 6 (the title is level 1)")
            if not text:
                problems.add([*at, "text"], "a heading must have text")
            out.append({"type": kind, "level": level, "text": text})
        elif kind == "image":
            caption = (block.get("caption") or "").strip() or None
            out.append({"type": kind, "mediaId": block["mediaId"], "caption": caption})
        elif kind == "quote":
            text = block["text"].strip()
            if not text:
                problems.add([*at, "text"], "a quote must have text")
            attribution = (block.get("attribution") or "").strip() or None
            out.append({"type": kind, "text": text, "attribution": attribution})
        elif kind == "list":
            items = [sanitize_inline(item) for item in block["items"]]
            if not items or not all(html_to_text(item) for item in items):
                problems.add([*at, "items"], "a list needs at least one item, and no empty items")
            out.append({"type": kind, "ordered": bool(block["ordered"]), "items": items})
        elif kind == "embed":
            url = block["url"].strip()
            if not is_web_url(url):
                problems.add([*at, "url"], "an embed URL must be an absolute http or https URL")
            out.append({"type": kind, "url": url, "provider": embed_provider(url)})
        else:  # pragma: no cover - the API only builds the kinds above
            raise ValueError(f"unknown block type {kind!r}")
    return out


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough")


def _inline_html(token: Token) -> str:
    return _render(token.children or [])


def _render(children: list[Token]) -> str:
    renderer = cast(RendererHTML, _markdown.renderer)
    # A line break inside a Markdown paragraph is a space, as a reader of the Markdown sees it.
    return sanitize_inline(renderer.renderInline(children, _markdown.options, {}).replace("\n", " "))


def _paragraph(children: list[Token]) -> list[Block]:
    """A paragraph's blocks: its text, with each image split out into an image block of its own
    (by URL: `resolve_images` finds the media), so no image is dropped."""
    blocks: list[Block] = []
    run: list[Token] = []

    def flush() -> None:
        html = _render(run)
        if html_to_text(html):
            blocks.append({"type": "paragraph", "html": html})
        run.clear()

    for child in children:
        if child.type == "image":
            flush()
            caption = (child.content or "").strip() or None
            blocks.append({"type": "image", "src": child.attrGet("src") or "", "caption": caption})
        else:
            run.append(child)
    flush()
    return blocks


def markdown_to_blocks(source: str) -> list[Block]:
    """Convert Markdown to blocks; what blocks cannot express is kept as paragraphs of text.

    An image (`![caption](url)`) becomes an image block holding its `src`, for the caller to
    resolve to media of the library (`image_sources`)."""
    tokens = _markdown.parse(source)
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            level = max(2, min(6, int(token.tag[1])))
            blocks.append({"type": "heading", "level": level, "text": html_to_text(_inline_html(tokens[i + 1]))})
            i += 3
        elif token.type == "paragraph_open":
            blocks.extend(_paragraph(tokens[i + 1].children or []))
            i += 3
        elif token.type in {"bullet_list_open", "ordered_list_open"}:
            close = token.type.replace("_open", "_close")
            items: list[str] = []
            depth = 0
            j = i + 1
            while not (tokens[j].type == close and depth == 0):
                t = tokens[j]
                if t.type == token.type:
                    depth += 1
                elif t.type == close:
                    depth -= 1
                elif t.type == "inline":
                    items.append(_inline_html(t))
                j += 1
            blocks.append({"type": "list", "ordered": token.type == "ordered_list_open", "items": items})
            i = j + 1
        elif token.type == "blockquote_open":
            depth, j, parts = 0, i + 1, []
            while not (tokens[j].type == "blockquote_close" and depth == 0):
                t = tokens[j]
                depth += {"blockquote_open": 1, "blockquote_close": -1}.get(t.type, 0)
                if t.type == "inline":
                    parts.append(html_to_text(_inline_html(t)))
                j += 1
            blocks.append({"type": "quote", "text": "\n".join(parts), "attribution": None})
            i = j + 1
        elif token.type in {"fence", "code_block", "html_block"}:
            text = token.content.strip()
            if token.type == "html_block":
                text = html_to_text(sanitize_inline(text))
            if text:
                blocks.append({"type": "paragraph", "html": escape(text, quote=False)})
            i += 1
        else:
            i += 1
    return blocks


def block_text(block: Block) -> str:
    kind = block["type"]
    if kind == "paragraph":
        return html_to_text(block["html"])
    if kind in {"heading", "quote"}:
        return str(block["text"])
    if kind == "list":
        return "\n".join(html_to_text(item) for item in block["items"])
    if kind == "image":
        return block.get("caption") or ""
    return ""


def body_text(blocks: Sequence[Block]) -> str:
    """The body as plain text, one block per paragraph."""
    return "\n\n".join(t for t in (block_text(b) for b in blocks) if t)


def word_count(blocks: Sequence[Block]) -> int:
    return len(_WORD.findall(body_text(blocks)))


def reading_time_minutes(words: int) -> int:
    return math.ceil(words / WORDS_PER_MINUTE) if words else 0


def image_ids(blocks: Sequence[Block]) -> list[int]:
    return [b["mediaId"] for b in blocks if b["type"] == "image" and "mediaId" in b]


def image_sources(blocks: Sequence[Block]) -> list[str]:
    """The URLs of images from Markdown, not yet resolved to media."""
    return [b["src"] for b in blocks if b["type"] == "image" and "src" in b]


def render_html(blocks: Sequence[Block], media: Mapping[int, ShownImage]) -> str:
    """The body as HTML; every piece of text is escaped or was sanitised on the way in."""
    parts: list[str] = []
    for b in blocks:
        kind = b["type"]
        if kind == "paragraph":
            parts.append(f"<p>{b['html']}</p>")
        elif kind == "heading":
            parts.append(f"<h{b['level']}>{escape(b['text'])}</h{b['level']}>")
        elif kind == "image":
            m = media.get(b["mediaId"])
            if m is None:
                continue
            caption = b.get("caption")
            credit = f" <small>Photo: {escape(m.credit)}</small>" if m.credit else ""
            fig = f'<img src="{escape(m.url)}" alt="{escape(m.alt or "")}">'
            if caption or credit:
                fig += f"<figcaption>{escape(caption or '')}{credit}</figcaption>"
            parts.append(f"<figure>{fig}</figure>")
        elif kind == "quote":
            cite = f"<footer>{escape(b['attribution'])}</footer>" if b.get("attribution") else ""
            parts.append(f"<blockquote><p>{escape(b['text'])}</p>{cite}</blockquote>")
        elif kind == "list":
            tag = "ol" if b["ordered"] else "ul"
            items = "".join(f"<li>{item}</li>" for item in b["items"])
            parts.append(f"<{tag}>{items}</{tag}>")
        elif kind == "embed":
            url = escape(b["url"])
            parts.append(f'<figure class="embed"><a href="{url}" rel="noopener noreferrer">{url}</a></figure>')
    return "\n".join(parts)
