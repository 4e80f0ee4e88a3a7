"""Articles: who may see them, how they are listed, and the commands that change them."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from cms.auth import Role, Viewer
from cms.db import Article, ArticleAuthor, ArticleTag, Author, Section, Tag
from cms.services import UNSET, db_now, grouped, save
from cms.services import authors as authors_service
from cms.services import media as media_service
from cms.services.blocks import Block, check_blocks, image_ids, markdown_to_blocks, word_count
from cms.services.errors import Code, Forbidden, InputError, NotFound, Problem, Problems
from cms.services.pagination import Page, decode_cursor, encode_cursor, page_size
from cms.services.slugs import choose_slug
from cms.services.taxonomy import ensure_tags
from cms.services.text import SLUG_RE, optional_text, optional_url, required_line

NEG_INFINITY = literal("-infinity").cast(Article.published_at.type)


class Status(enum.StrEnum):
    """The status clients see; SCHEDULED is derived from the publish time."""

    DRAFT = "DRAFT"
    IN_REVIEW = "IN_REVIEW"
    SCHEDULED = "SCHEDULED"
    PUBLISHED = "PUBLISHED"
    ARCHIVED = "ARCHIVED"


class OrderField(enum.StrEnum):
    PUBLISHED_AT = "PUBLISHED_AT"
    UPDATED_AT = "UPDATED_AT"
    TITLE = "TITLE"


def shown_status(article: Article, now: datetime) -> Status:
    if article.status == "PUBLISHED" and article.published_at and article.published_at > now:
        return Status.SCHEDULED
    return Status(article.status)


def _status_is(status: Status) -> ColumnElement[bool]:
    if status is Status.PUBLISHED:
        return and_(Article.status == "PUBLISHED", Article.published_at <= db_now())
    if status is Status.SCHEDULED:
        return and_(Article.status == "PUBLISHED", Article.published_at > db_now())
    return Article.status == status.value


def _bylined(author_id: int) -> ColumnElement[bool]:
    # An alias of its own, so the subquery correlates only with the outer articles row even
    # where the outer query joins article_authors too.
    byline = aliased(ArticleAuthor)
    return exists().where(byline.article_id == Article.id, byline.author_id == author_id)


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """The articles a viewer may read: live ones for all, drafts for some."""
    if viewer.reads_drafts:
        return true()
    live = _status_is(Status.PUBLISHED)
    if viewer.role is Role.AUTHOR and viewer.author_id is not None:
        return or_(live, _bylined(viewer.author_id))
    return live


@dataclass
class ArticleFilter:
    statuses: list[Status] | None = None
    author_slug: str | None = None
    section_slug: str | None = None
    tag_slugs: list[str] | None = None
    published_after: datetime | None = None
    published_before: datetime | None = None


@dataclass
class Ordering:
    field: OrderField = OrderField.PUBLISHED_AT
    descending: bool = True

    @property
    def name(self) -> str:
        return f"article:{self.field.value}:{'desc' if self.descending else 'asc'}"


def _filters(f: ArticleFilter) -> list[ColumnElement[bool]]:
    """The conditions of a filter. Raises InputError (a time without a time zone)."""
    for name, value in (("publishedAfter", f.published_after), ("publishedBefore", f.published_before)):
        if value is not None and value.tzinfo is None:
            raise InputError([Problem(("filter", name), f"{name} needs a time zone offset")])
    where: list[ColumnElement[bool]] = []
    if f.statuses is not None:
        where.append(or_(false(), *(_status_is(s) for s in f.statuses)))
    if f.author_slug is not None:
        where.append(
            exists()
            .where(ArticleAuthor.article_id == Article.id)
            .where(ArticleAuthor.author_id == Author.id, Author.slug == f.author_slug)
        )
    if f.section_slug is not None:
        where.append(Article.section_id == select(Section.id).where(Section.slug == f.section_slug).scalar_subquery())
    for slug in dict.fromkeys(f.tag_slugs or []):
        where.append(
            exists().where(ArticleTag.article_id == Article.id).where(ArticleTag.tag_id == Tag.id, Tag.slug == slug)
        )
    if f.published_after is not None:
        where.append(Article.published_at >= f.published_after)
    if f.published_before is not None:
        where.append(Article.published_at < f.published_before)
    return where


def _sort_key(order: Ordering) -> Any:
    if order.field is OrderField.PUBLISHED_AT:
        # Drafts have no publish time: they sort as the oldest.
        return func.coalesce(Article.published_at, NEG_INFINITY)
    return Article.updated_at if order.field is OrderField.UPDATED_AT else Article.title


def _cursor_key(order: Ordering, article: Article) -> list[Any]:
    if order.field is OrderField.TITLE:
        return [article.title, article.id]
    value = article.published_at if order.field is OrderField.PUBLISHED_AT else article.updated_at
    return [value.isoformat() if value else None, article.id]


def _cursor_value(order: Ordering, raw: Any) -> Any:
    if order.field is OrderField.TITLE:
        if not isinstance(raw, str):
            raise ValueError
        return raw
    if raw is None and order.field is OrderField.PUBLISHED_AT:
        return NEG_INFINITY
    return datetime.fromisoformat(raw)


async def list_articles(
    session: AsyncSession,
    viewer: Viewer,
    *,
    first: int | None,
    after: str | None,
    filter: ArticleFilter | None = None,
    order: Ordering | None = None,
) -> Page[Article]:
    """A page of the articles the viewer may see. Raises InputError (page size, cursor)."""
    size = page_size(first)
    order = order or Ordering()
    where = [visible_to(viewer), *_filters(filter or ArticleFilter())]
    stmt = select(Article).where(*where, *_seek(order, after)).order_by(*_order_by(order)).limit(size + 1)
    rows = list((await session.scalars(stmt)).all())

    async def count() -> int:
        return int(await session.scalar(select(func.count()).select_from(Article).where(*where)) or 0)

    return _page(order, rows, size, count)


async def pages_by_author(
    session: AsyncSession, viewer: Viewer, author_ids: Sequence[int], *, first: int | None, after: str | None
) -> list[Page[Article]]:
    """Batch load: the first page of each author's visible articles, newest first, in one query.

    Raises InputError (page size, cursor)."""
    size = page_size(first)
    order = Ordering()
    ranked = (
        select(
            Article.id.label("article_id"),
            ArticleAuthor.author_id,
            func.row_number().over(partition_by=ArticleAuthor.author_id, order_by=_order_by(order)).label("rank"),
            func.count().over(partition_by=ArticleAuthor.author_id).label("total"),
        )
        .join(ArticleAuthor, ArticleAuthor.article_id == Article.id)
        .where(ArticleAuthor.author_id.in_(author_ids), visible_to(viewer), *_seek(order, after))
        .subquery()
    )
    rows = await session.execute(
        select(Article, ranked.c.author_id, ranked.c.total)
        .join(ranked, ranked.c.article_id == Article.id)
        .where(ranked.c.rank <= size + 1)
        .order_by(ranked.c.author_id, ranked.c.rank)
    )
    found: dict[int, list[Article]] = {i: [] for i in author_ids}
    totals: dict[int, int] = {}
    for article, author_id, total in rows:
        found[author_id].append(article)
        totals[author_id] = total

    def counter(author_id: int) -> Callable[[], Awaitable[int]]:
        async def count() -> int:
            if after is None:  # the window counted every visible article of the author
                return totals.get(author_id, 0)
            where = [visible_to(viewer), _bylined(author_id)]
            return int(await session.scalar(select(func.count()).select_from(Article).where(*where)) or 0)

        return count

    return [_page(order, found[i], size, counter(i)) for i in author_ids]


def _order_by(order: Ordering) -> tuple[Any, Any]:
    key = _sort_key(order)
    return (key.desc(), Article.id.desc()) if order.descending else (key, Article.id)


def _seek(order: Ordering, after: str | None) -> list[ColumnElement[bool]]:
    """The condition for rows after the cursor, in this ordering."""
    if after is None:
        return []
    raw_key, raw_id = decode_cursor(order.name, after, 2)
    try:
        if not isinstance(raw_id, int):
            raise ValueError
        value = _cursor_value(order, raw_key)
    except (TypeError, ValueError):
        raise InputError([Problem(("after",), "after is not a cursor of this list")]) from None
    seek = tuple_(_sort_key(order), Article.id)
    return [seek < tuple_(value, raw_id) if order.descending else seek > tuple_(value, raw_id)]


def _page(order: Ordering, rows: list[Article], size: int, count: Callable[[], Awaitable[int]]) -> Page[Article]:
    items = rows[:size]
    cursors = [encode_cursor(order.name, _cursor_key(order, a)) for a in items]
    return Page(items, cursors, len(rows) > size, count)


async def get_article(
    session: AsyncSession, viewer: Viewer, *, id: int | None = None, slug: str | None = None
) -> Article | None:
    """One article by id or slug, or None when there is none the viewer may see."""
    match = Article.id == id if id is not None else Article.slug == slug
    return (await session.scalars(select(Article).where(match, visible_to(viewer)))).one_or_none()


async def articles_by_ids(session: AsyncSession, viewer: Viewer, ids: Sequence[int]) -> list[Article | None]:
    """Batch load of the visible ones, in key order."""
    rows = await session.scalars(select(Article).where(Article.id.in_(ids), visible_to(viewer)))
    by_id = {a.id: a for a in rows}
    return [by_id.get(i) for i in ids]


async def bodies(session: AsyncSession, ids: Sequence[int]) -> list[list[Block]]:
    """Batch load of bodies, in key order; only for articles already shown to be visible."""
    result = await session.execute(select(Article.id, Article.body).where(Article.id.in_(ids)))
    rows: dict[int, list[Block]] = dict(result.all())
    return [rows.get(i, []) for i in ids]


async def authors_for_articles(session: AsyncSession, ids: Sequence[int]) -> list[list[Author]]:
    """Batch load of bylines in order, in key order."""
    rows = await session.execute(
        select(ArticleAuthor.article_id, Author)
        .join(Author, Author.id == ArticleAuthor.author_id)
        .where(ArticleAuthor.article_id.in_(ids))
        .order_by(ArticleAuthor.article_id, ArticleAuthor.position)
    )
    return grouped(rows, ids)


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
    sources: Any = UNSET
    seo_title: Any = UNSET
    seo_description: Any = UNSET
    canonical_url: Any = UNSET


def _given(value: Any) -> bool:
    return value is not UNSET and value is not None


async def _check(
    session: AsyncSession, problems: Problems, viewer: Viewer, article: Article | None, f: ArticleFields
) -> dict[str, Any]:
    """Every rule on the input at once; returns the column values and links to write."""
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
    if _given(f.body) and _given(f.body_markdown):
        problems.add(("input", "bodyMarkdown"), "give body or bodyMarkdown, not both")
    elif _given(f.body_markdown):
        if len(f.body_markdown) > 500_000:
            problems.add(("input", "bodyMarkdown"), "bodyMarkdown must be at most 500000 characters")
        else:
            v["body"] = check_blocks(problems, ("input", "bodyMarkdown"), markdown_to_blocks(f.body_markdown))
    elif f.body is not UNSET:
        v["body"] = check_blocks(problems, ("input", "body"), f.body or [])
    if "body" in v:
        v["word_count"] = word_count(v["body"])
        wanted = image_ids(v["body"])
        found = await media_service.existing_ids(session, wanted)
        for i, block in enumerate(v["body"]):
            if block["type"] == "image" and block["mediaId"] not in found:
                problems.add(("input", "body", str(i), "image", "mediaId"), "no such media", Code.NOT_FOUND)
    if _given(f.hero_image_id) and not await media_service.existing_ids(session, [f.hero_image_id]):
        problems.add(("input", "heroImageId"), "no such media", Code.NOT_FOUND)
    if f.hero_image_id is not UNSET:
        v["hero_image_id"] = f.hero_image_id
    if _given(f.section_id) and await session.get(Section, f.section_id) is None:
        problems.add(("input", "sectionId"), "no such section", Code.NOT_FOUND)
    if f.section_id is not UNSET:
        v["section_id"] = f.section_id
    if f.sources is not UNSET:
        v["sources"] = _check_sources(problems, f.sources or [])
    if f.tag_slugs is not UNSET:
        tags = list(dict.fromkeys(s.strip().lower() for s in f.tag_slugs or []))
        for i, slug in enumerate(tags):
            if not SLUG_RE.match(slug) or len(slug) > 100:
                problems.add(("input", "tagSlugs", str(i)), f"'{slug}' is not a tag slug, e.g. 'climate-change'")
        v["tag_slugs"] = tags
    if f.author_ids is not UNSET:
        ids = list(f.author_ids or [])
        if len(set(ids)) != len(ids):
            problems.add(("input", "authorIds"), "an author is listed twice")
        found = await authors_service.existing_ids(session, ids)
        for i, author_id in enumerate(ids):
            if author_id not in found:
                problems.add(("input", "authorIds", str(i)), "no such author", Code.NOT_FOUND)
        if viewer.role is Role.AUTHOR and viewer.author_id not in ids:
            problems.add(("input", "authorIds"), "your own byline must stay on the article", Code.FORBIDDEN)
        v["author_ids"] = ids
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
        )
    return v


def _check_sources(problems: Problems, sources: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(sources) > 50:
        problems.add(("input", "sources"), "an article cites at most 50 sources")
    out = []
    for i, s in enumerate(sources):
        at = ("input", "sources", str(i))
        name = required_line(problems, (*at, "name"), s["name"], max_length=200)
        url = optional_url(problems, (*at, "url"), s.get("url"))
        out.append({"name": name, "url": url})
    return out


def _take_links(v: dict[str, Any]) -> dict[str, Any]:
    """Move the bylines and tags, which live in their own tables, out of the column values."""
    return {k: v.pop(k) for k in ("author_ids", "tag_slugs") if k in v}


async def _write_links(session: AsyncSession, article_id: int, v: dict[str, Any]) -> None:
    if "author_ids" in v:
        await session.execute(delete(ArticleAuthor).where(ArticleAuthor.article_id == article_id))
        if v["author_ids"]:
            await session.execute(
                insert(ArticleAuthor),
                [{"article_id": article_id, "author_id": a, "position": i} for i, a in enumerate(v["author_ids"])],
            )
    if "tag_slugs" in v:
        await session.execute(delete(ArticleTag).where(ArticleTag.article_id == article_id))
        tag_ids = await ensure_tags(session, v["tag_slugs"])
        if tag_ids:
            await session.execute(
                insert(ArticleTag),
                [{"article_id": article_id, "tag_id": t, "position": i} for i, t in enumerate(tag_ids)],
            )


async def create_article(session: AsyncSession, problems: Problems, viewer: Viewer, f: ArticleFields) -> Article:
    """Create a draft. An AUTHOR's own byline is added when no authors are given.

    Raises InputError (every problem of the input), Forbidden (an AUTHOR with no byline)."""
    if viewer.role is Role.AUTHOR:
        if viewer.author_id is None:
            raise Forbidden("your account is not linked to an author byline")
        if f.author_ids is UNSET or f.author_ids is None:
            f.author_ids = [viewer.author_id]
    if f.slug is UNSET:
        f.slug = None
    v = await _check(session, problems, viewer, None, f)
    problems.raise_if_any()
    links = _take_links(v)
    article = Article(status="DRAFT", **v)
    if "body" not in v:
        article.body = []
    session.add(article)
    await save(session, article)
    await _write_links(session, article.id, links)
    return article


async def _lock_for_change(session: AsyncSession, viewer: Viewer, article_id: int) -> Article:
    article = (
        await session.scalars(
            select(Article)
            .where(Article.id == article_id, visible_to(viewer))
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).one_or_none()
    if article is None:
        raise NotFound("no such article")
    if viewer.role is Role.AUTHOR:
        mine = viewer.author_id is not None and await session.scalar(
            select(_bylined(viewer.author_id)).where(Article.id == article_id)
        )
        if not mine or article.status not in {"DRAFT", "IN_REVIEW"}:
            raise Forbidden("authors may change only their own unpublished drafts")
    return article


def _touch(article: Article) -> None:
    article.version = Article.version + 1
    article.updated_at = db_now()


async def update_article(
    session: AsyncSession,
    problems: Problems,
    viewer: Viewer,
    article_id: int,
    f: ArticleFields,
    *,
    expected_version: int | None = None,
) -> Article:
    """Change the fields given, as one new version; the row is locked, so concurrent updates
    apply one after the other and a stale `expected_version` is refused.

    Raises NotFound, Forbidden, InputError (CONFLICT on a stale version; every input problem)."""
    article = await _lock_for_change(session, viewer, article_id)
    if expected_version is not None and expected_version != article.version:
        problems.add(
            ("expectedVersion",),
            f"the article is at version {article.version}, not {expected_version}: reload and retry",
            Code.CONFLICT,
        )
    v = await _check(session, problems, viewer, article, f)
    problems.raise_if_any()
    links = _take_links(v)
    for key, value in v.items():
        setattr(article, key, value)
    _touch(article)
    await save(session, article)
    await _write_links(session, article.id, links)
    return article


async def publish_article(
    session: AsyncSession, viewer: Viewer, article_id: int, publish_at: datetime | None
) -> Article:
    """Publish now, backdate to a past time, or schedule for a future one.

    A scheduled article goes live at that instant by itself: visibility compares the publish
    time with the database clock. Republishing a live article without a time keeps its time.
    Raises NotFound, InputError (a time without a time zone)."""
    if publish_at is not None and publish_at.tzinfo is None:
        raise InputError([Problem(("publishAt",), "publishAt needs a time zone offset")])
    article = await _lock_for_change(session, viewer, article_id)
    if publish_at is None:
        live = await session.scalar(select(_status_is(Status.PUBLISHED)).where(Article.id == article_id))
        article.published_at = article.published_at if live else db_now()
    else:
        article.published_at = publish_at
    article.status = "PUBLISHED"
    _touch(article)
    await save(session, article)
    return article


async def unpublish_article(session: AsyncSession, viewer: Viewer, article_id: int) -> Article:
    """Take a live or scheduled article back to draft. Raises NotFound."""
    article = await _lock_for_change(session, viewer, article_id)
    article.status = "DRAFT"
    article.published_at = None
    _touch(article)
    await save(session, article)
    return article


async def delete_article(session: AsyncSession, viewer: Viewer, article_id: int) -> None:
    """Delete an article, its bylines, tags and trending pins. Raises NotFound, Forbidden."""
    article = await _lock_for_change(session, viewer, article_id)
    await session.delete(article)
    await session.flush()
