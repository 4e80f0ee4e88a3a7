"""Text rules shared by every domain: slugs, URLs, plain and inline-HTML strings."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

import nh3
from slugify import slugify as _slugify

from cms.services.errors import Problems

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 200
MAX_LINE = 500

# Inline HTML kept in paragraphs and list items: links and emphasis, nothing else.
_INLINE_TAGS = {"a", "em", "strong", "i", "b"}
_INLINE_ATTRIBUTES = {"a": {"href", "title"}}
_URL_SCHEMES = {"http", "https", "mailto"}


def slugify(value: str, fallback: str) -> str:
    """A URL slug from any text: unicode folded to ASCII, lower case, hyphens between words."""
    return _slugify(value, max_length=MAX_SLUG, word_boundary=True) or fallback


def sanitize_inline(value: str) -> str:
    """Inline HTML reduced to links (http, https, mailto) and emphasis."""
    return nh3.clean(
        value,
        tags=_INLINE_TAGS,
        attributes=_INLINE_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()


def html_to_text(value: str) -> str:
    """The readable text of sanitised inline HTML."""
    return html.unescape(nh3.clean(value, tags=set())).strip()


def is_web_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and " " not in value


def required_line(problems: Problems, path: Sequence[str], value: str, *, max_length: int = MAX_LINE) -> str:
    """A required single-line text, trimmed; records a problem when empty or too long."""
    value = value.strip()
    if not value:
        problems.add(path, f"{path[-1]} must not be empty")
    elif len(value) > max_length or "\n" in value:
        problems.add(path, f"{path[-1]} must be one line of at most {max_length} characters")
    return value


def optional_text(problems: Problems, path: Sequence[str], value: str | None, *, max_length: int = 5000) -> str | None:
    """An optional text, trimmed; empty becomes None."""
    if value is None:
        return None
    value = value.strip()
    if len(value) > max_length:
        problems.add(path, f"{path[-1]} must be at most {max_length} characters")
    return value or None


def optional_url(problems: Problems, path: Sequence[str], value: str | None) -> str | None:
    """An optional absolute http(s) URL; empty becomes None."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not is_web_url(value) or len(value) > 2000:
        problems.add(path, f"{path[-1]} must be an absolute http or https URL")
    return value


def checked_slug(problems: Problems, path: Sequence[str], value: str) -> str:
    """An explicit slug, which must already be in slug form."""
    value = value.strip()
    if not SLUG_RE.match(value) or len(value) > MAX_SLUG:
        problems.add(
            path,
            "slug must be lower-case letters, digits and single hyphens, e.g. 'budget-2027'",
        )
    return value


# BCP 47 as newsrooms use it: a language, optionally a script and a region (en, ko, pt-BR,
# zh-Hant-TW, es-419); case and underscores are normalised.
_LOCALE = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|[0-9]{3}))?$")


def normalize_locale(value: str) -> str | None:
    """The normalised form of a BCP 47 language tag (pt-BR, zh-Hant-TW), or None if it is not one."""
    match = _LOCALE.match(value.strip())
    if match is None:
        return None
    language, script, region = match.groups()
    parts = [language.lower()]
    if script:
        parts.append(script.title())
    if region:
        parts.append(region.upper())
    return "-".join(parts)


def checked_locale(problems: Problems, path: Sequence[str], value: str) -> str:
    locale = normalize_locale(value)
    if locale is None:
        problems.add(path, f"{path[-1]} must be a BCP 47 language tag such as 'en', 'ko' or 'pt-BR'")
        return value
    return locale


def some_named(names: Sequence[str], total: int, shown: int = 3) -> str:
    """`'A', 'B', 'C' and 4 more`: the first names of a list too long to give whole."""
    named = ", ".join(f"'{n}'" for n in names[:shown])
    return named + (f" and {total - shown} more" if total > shown else "")
