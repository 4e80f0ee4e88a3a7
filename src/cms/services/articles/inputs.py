"""What an article may hold: every rule on create and update input, checked at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.db import Article, Section
from cms.services import UNSET, policy
from cms.services import authors as authors_service
from cms.services import media as media_service
from cms.services.blocks import Block, check_blocks, image_ids, image_sources, markdown_to_blocks, word_count
from cms.services.errors import Problems
from cms.services.slugs import choose_slug
from cms.services.taxonomy import tag_name
from cms.services.text import SLUG_RE, checked_locale, optional_text, optional_url, required_line, slugify
from cms.vocabulary import ErrorCode

MAX_MARKDOWN = 500_000
MAX_SOURCES = 50
MAX_TAG_SLUG = 100
# The database's default too; the API passes the settings' default instead.
DEFAULT_LOCALE = "en"


@dataclass
class ArticleFields:
    """Input for create and update: on update only the fields not left as UNSET change."""

    title: Any = UNSET
    slug: Any = UNSET
    standfirst: Any = UNSET
    body: Any = UNSET
    body_markdown: Any = UNSET
    author_ids: Any = UNSET
    hero_image_id: Any = UNSET
    section_id: Any = UNSET
    tag_slugs: Any = UNSET
    tag_names: Any = UNSET
    sources: Any = UNSET
    seo_title: Any = UNSET
    seo_description: Any = UNSET
    canonical_url: Any = UNSET
    # On create only: the language (the settings' default when left out) and the article this one
    # translates.
    locale: Any = UNSET
    translation_of_id: Any = UNSET


def _given(value: Any) -> bool:
    return value is not UNSET and value is not None


async def check(
    session: AsyncSession, problems: Problems, viewer: Viewer, article: Article | None, f: ArticleFields
) -> dict[str, Any]:
    """Every rule on the input at once; returns the column values and links to write.

    Problems are recorded in `problems`; raises Forbidden (an AUTHOR dropping their own byline)."""
    v: dict[str, Any] = {}
    if f.title is not UNSET:
        v["title"] = required_line(problems, ("input", "title"), f.title or "", max_length=300)
    for name, path, limit in (
        ("standfirst", "standfirst", 1000),
        ("seo_title", "seoTitle", 300),
        ("seo_description", "seoDescription", 1000),
    ):
        if getattr(f, name) is not UNSET:
            v[name] = optional_text(problems, ("input", path), getattr(f, name), max_length=limit)
    if f.canonical_url is not UNSET:
        v["canonical_url"] = optional_url(problems, ("input", "canonicalUrl"), f.canonical_url)
    await _check_body(session, problems, f, v)
    if _given(f.hero_image_id) and not await media_service.existing_ids(session, [f.hero_image_id]):
        problems.add(("input", "heroImageId"), "no such media", ErrorCode.NOT_FOUND)
    if f.hero_image_id is not UNSET:
        v["hero_image_id"] = f.hero_image_id
    if _given(f.section_id) and await session.get(Section, f.section_id) is None:
        problems.add(("input", "sectionId"), "no such section", ErrorCode.NOT_FOUND)
    if f.section_id is not UNSET:
        v["section_id"] = f.section_id
    if f.sources is not UNSET:
        v["sources"] = _check_sources(problems, f.sources or [])
    if f.tag_slugs is not UNSET or f.tag_names is not UNSET:
        v["tags"] = _check_tags(problems, f)
    if f.author_ids is not UNSET:
        ids = list(f.author_ids or [])
        policy.require_own_byline_kept(viewer, ids)
        if len(set(ids)) != len(ids):
            problems.add(("input", "authorIds"), "an author is listed twice")
        found = await authors_service.existing_ids(session, ids)
        for i, author_id in enumerate(ids):
            if author_id not in found:
                problems.add(("input", "authorIds", str(i)), "no such author", ErrorCode.NOT_FOUND)
        v["author_ids"] = ids
    if article is None:
        v["locale"] = checked_locale(problems, ("input", "locale"), f.locale if _given(f.locale) else DEFAULT_LOCALE)
    locale = v.get("locale") or (article.locale if article else "")
    if f.slug is not UNSET and (f.slug is not None or article is None):
        source = v.get("title") or (article.title if article else "")
        v["slug"] = await choose_slug(
            session,
            problems,
            Article,
            given=f.slug,
            source=source,
            fallback="article",
            exclude_id=article.id if article else None,
            scope=[Article.locale == locale],
        )
    return v


async def _check_body(session: AsyncSession, problems: Problems, f: ArticleFields, v: dict[str, Any]) -> None:
    if _given(f.body) and _given(f.body_markdown):
        problems.add(("input", "bodyMarkdown"), "give body or bodyMarkdown, not both")
    elif _given(f.body_markdown):
        if len(f.body_markdown) > MAX_MARKDOWN:
            problems.add(("input", "bodyMarkdown"), f"bodyMarkdown must be at most {MAX_MARKDOWN} characters")
        else:
            blocks = await _resolve_images(session, problems, markdown_to_blocks(f.body_markdown))
            v["body"] = check_blocks(problems, ("input", "bodyMarkdown"), blocks)
    elif f.body is not UNSET:
        v["body"] = check_blocks(problems, ("input", "body"), f.body or [])
    if "body" in v:
        v["word_count"] = word_count(v["body"])
        found = await media_service.existing_ids(session, image_ids(v["body"]))
        for i, block in enumerate(v["body"]):
            if block["type"] == "image" and block["mediaId"] not in found:
                problems.add(("input", "body", str(i), "image", "mediaId"), "no such media", ErrorCode.NOT_FOUND)


def _check_tags(problems: Problems, f: ArticleFields) -> list[tuple[str, str]]:
    """The tags to link, as (slug, name): by name ("City Hall", slug derived), or by slug (name
    derived, "city-hall" as "City Hall") for tags that exist or are made on first use."""
    if _given(f.tag_slugs) and _given(f.tag_names):
        problems.add(("input", "tagNames"), "give tagSlugs or tagNames, not both")
        return []
    tags: dict[str, str] = {}
    for i, raw in enumerate(f.tag_names if _given(f.tag_names) else []):
        name = required_line(problems, ("input", "tagNames", str(i)), raw, max_length=100)
        tags.setdefault(slugify(name, "tag")[:MAX_TAG_SLUG], name)
    for i, raw in enumerate(f.tag_slugs if _given(f.tag_slugs) else []):
        slug = raw.strip().lower()
        if not SLUG_RE.match(slug) or len(slug) > MAX_TAG_SLUG:
            problems.add(("input", "tagSlugs", str(i)), f"'{slug}' is not a tag slug, e.g. 'climate-change'")
        tags.setdefault(slug, tag_name(slug))
    return list(tags.items())


async def _resolve_images(session: AsyncSession, problems: Problems, blocks: list[Block]) -> list[Block]:
    """Markdown images become image blocks of the media registered (or uploaded) at that URL; an
    image the library does not hold is a problem, never dropped silently."""
    by_url = await media_service.ids_by_url(session, image_sources(blocks))
    resolved: list[Block] = []
    for block in blocks:
        if block["type"] == "image" and "src" in block:
            media_id = by_url.get(block["src"])
            if media_id is None:
                problems.add(
                    ("input", "bodyMarkdown"),
                    f"the image {block['src']} is not in the media library: register or upload it, then use its URL",
                    ErrorCode.NOT_FOUND,
                )
                continue
            block = {"type": "image", "mediaId": media_id, "caption": block["caption"]}
        resolved.append(block)
    return resolved


def _check_sources(problems: Problems, sources: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(sources) > MAX_SOURCES:
        problems.add(("input", "sources"), f"an article cites at most {MAX_SOURCES} sources")
    out = []
    for i, s in enumerate(sources):
        at = ("input", "sources", str(i))
        name = required_line(problems, (*at, "name"), s["name"], max_length=200)
        url = optional_url(problems, (*at, "url"), s.get("url"))
        out.append({"name": name, "url": url})
    return out
