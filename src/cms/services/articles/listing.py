"""Reading articles: lookups, filtered and ordered pages, and the batch loads of their relations."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, func, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from cms.auth import Viewer
from cms.db import Article, ArticleAuthor, ArticleTag, Author, Section, Tag
from cms.services import grouped
from cms.services.articles import slug_history
from cms.services.articles.visibility import status_is, visible_to
from cms.services.blocks import Block
from cms.services.errors import InputError, Problem
from cms.services.pagination import Keyset, Page, page_size, paginate, text_key
from cms.services.text import normalize_locale
from cms.vocabulary import ArticleOrderField, ArticleStatus

# Written into the statement, not bound: only then is `coalesce(published_at, '-infinity')` the
# expression of ix_articles_published, so that the index serves the order (with a parameter,
# PostgreSQL sorts every row).
NEG_INFINITY = literal_column("'-infinity'::timestamptz", type_=Article.published_at.type)


@dataclass(frozen=True)
class ArticleFilter:
    """Conditions on a list of articles; all given must hold. Hashable, so a batch load can
    group the pages asked for by it."""

    statuses: tuple[ArticleStatus, ...] | None = None
    author_slug: str | None = None
    section_slug: str | None = None
    tag_slugs: tuple[str, ...] | None = None
    published_after: datetime | None = None
    published_before: datetime | None = None
    locale: str | None = None


class Group(enum.Enum):
    """What a list of articles can belong to, with the column that says so."""

    AUTHOR = "author"
    SECTION = "section"
    TAG = "tag"


@dataclass(frozen=True)
class Ordering:
    field: ArticleOrderField = ArticleOrderField.PUBLISHED_AT
    descending: bool = True

    def keyset(self) -> Keyset[Article]:
        name = f"article:{self.field.value}:{'desc' if self.descending else 'asc'}"
        if self.field is ArticleOrderField.TITLE:
            return Keyset(name, Article.title, Article.id, self.descending, lambda a: a.title, text_key)
        if self.field is ArticleOrderField.UPDATED_AT:
            return Keyset(name, Article.updated_at, Article.id, self.descending, _iso(Article.updated_at), _time)
        # Drafts have no publish time: they sort as the oldest, and their cursors carry null.
        key = func.coalesce(Article.published_at, NEG_INFINITY)
        return Keyset(name, key, Article.id, self.descending, _iso(Article.published_at), _published_time)


def _iso(column: Any) -> Callable[[Article], str | None]:
    def read(article: Article) -> str | None:
        value: datetime | None = getattr(article, column.key)
        return value.isoformat() if value else None

    return read


def _time(raw: Any) -> datetime:
    return datetime.fromisoformat(raw)


def _published_time(raw: Any) -> Any:
    return NEG_INFINITY if raw is None else _time(raw)


def filter_conditions(f: ArticleFilter) -> list[ColumnElement[bool]]:
    """The conditions of a filter, for any list or search of articles. Raises InputError (a time
    without a time zone, a malformed locale)."""
    for name, value in (("publishedAfter", f.published_after), ("publishedBefore", f.published_before)):
        if value is not None and value.tzinfo is None:
            raise InputError([Problem(("filter", name), f"{name} needs a time zone offset")])
    where: list[ColumnElement[bool]] = []
    if f.statuses is not None:
        where.append(or_(false(), *(status_is(s) for s in f.statuses)))
    # Aliases of their own, so that each subquery correlates only with the outer articles row,
    # also where the outer query joins article_authors or article_tags (a page of an author's or
    # a tag's articles, `pages_by`).
    if f.author_slug is not None:
        byline, author = aliased(ArticleAuthor), aliased(Author)
        where.append(
            exists()
            .where(byline.article_id == Article.id)
            .where(byline.author_id == author.id, author.slug == f.author_slug)
        )
    if f.section_slug is not None:
        where.append(Article.section_id == select(Section.id).where(Section.slug == f.section_slug).scalar_subquery())
    for slug in dict.fromkeys(f.tag_slugs or []):
        tagged, tag = aliased(ArticleTag), aliased(Tag)
        where.append(exists().where(tagged.article_id == Article.id).where(tagged.tag_id == tag.id, tag.slug == slug))
    if f.published_after is not None:
        where.append(Article.published_at >= f.published_after)
    if f.published_before is not None:
        where.append(Article.published_at < f.published_before)
    if f.locale is not None:
        locale = normalize_locale(f.locale)
        if locale is None:
            raise InputError([Problem(("filter", "locale"), "locale must be a BCP 47 language tag such as 'en'")])
        where.append(Article.locale == locale)
    return where


async def list_articles(
    session: AsyncSession,
    viewer: Viewer,
    *,
    first: int | None,
    after: str | None,
    filter: ArticleFilter | None = None,
    order: Ordering | None = None,
) -> Page[Article]:
    """A page of the articles the viewer may see. Raises InputError (page size, cursor, filter)."""
    where = [visible_to(viewer), *filter_conditions(filter or ArticleFilter())]
    return await paginate(session, Article, where, (order or Ordering()).keyset(), first=first, after=after)


async def pages_by(
    session: AsyncSession,
    viewer: Viewer,
    group: Group,
    ids: Sequence[int],
    *,
    first: int | None,
    after: str | None,
    filter: ArticleFilter | None = None,
    order: Ordering | None = None,
) -> list[Page[Article]]:
    """Batch load: one page of visible articles for each author, section or tag, in one query.

    Raises InputError (page size, cursor, filter)."""
    size = page_size(first)
    keyset = (order or Ordering()).keyset()
    where = [visible_to(viewer), *filter_conditions(filter or ArticleFilter())]
    owner, ranked = _grouped(group)
    ranked = (
        ranked.add_columns(
            func.row_number().over(partition_by=owner, order_by=keyset.order_by()).label("rank"),
            func.count().over(partition_by=owner).label("total"),
        )
        .where(owner.in_(ids), *where, *keyset.seek(after))
        .subquery()
    )
    rows = await session.execute(
        select(Article, ranked.c.owner, ranked.c.total)
        .join(ranked, ranked.c.article_id == Article.id)
        .where(ranked.c.rank <= size + 1)
        .order_by(ranked.c.owner, ranked.c.rank)
    )
    found: dict[int, list[Article]] = {i: [] for i in ids}
    totals: dict[int, int] = {}
    for article, owner_id, total in rows:
        found[owner_id].append(article)
        totals[owner_id] = total

    def counter(owner_id: int) -> Callable[[], Awaitable[int]]:
        async def count() -> int:
            if after is None:  # the window counted every matching article of the group
                return totals.get(owner_id, 0)
            column, matching = _grouped(group)
            matching = matching.where(column == owner_id, *where).subquery()
            return int(await session.scalar(select(func.count()).select_from(matching)) or 0)

        return count

    return [keyset.page(found[i], size, counter(i)) for i in ids]


def _grouped(group: Group) -> tuple[Any, Any]:
    """The column that names an article's group, and a select of (article_id, owner) over it."""
    if group is Group.SECTION:
        owner = Article.section_id
        return owner, select(Article.id.label("article_id"), owner.label("owner"))
    link, column = (
        (ArticleAuthor, ArticleAuthor.author_id) if group is Group.AUTHOR else (ArticleTag, ArticleTag.tag_id)
    )
    stmt = select(Article.id.label("article_id"), column.label("owner")).join(link, link.article_id == Article.id)
    return column, stmt


async def get_article(
    session: AsyncSession,
    viewer: Viewer,
    *,
    id: int | None = None,
    slug: str | None = None,
    locale: str | None = None,
    default_locale: str = "en",
) -> Article | None:
    """One article by id, or by slug (in `locale`; without one, the default language's first,
    then any), or None when there is none the viewer may see. An old slug of a published article
    finds it still: its `slug` is the new one, for the frontend to redirect.

    Raises InputError (a malformed locale)."""
    if id is not None:
        return (await session.scalars(select(Article).where(Article.id == id, visible_to(viewer)))).one_or_none()
    assert slug is not None
    if locale is not None:
        normal = normalize_locale(locale)
        if normal is None:
            raise InputError([Problem(("locale",), "locale must be a BCP 47 language tag such as 'en'")])
        locale = normal
    current = Article.slug == slug if locale is None else and_(Article.slug == slug, Article.locale == locale)
    stmt = (
        select(Article)
        .where(visible_to(viewer), or_(current, Article.id == slug_history.holder(locale, slug)))
        # The current holder of the slug first, in the default language first, then the oldest.
        .order_by((~current).asc(), (Article.locale != default_locale).asc(), Article.id)
        .limit(1)
    )
    return (await session.scalars(stmt)).first()


async def translations(session: AsyncSession, viewer: Viewer, ids: Sequence[int]) -> list[list[Article]]:
    """Batch load: for each article, the other articles of its translation group that the viewer
    may see, by locale, in key order."""
    me = aliased(Article)
    rows = await session.execute(
        select(me.id, Article)
        .join(Article, and_(Article.translation_group_id == me.translation_group_id, Article.id != me.id))
        .where(me.id.in_(ids), me.translation_group_id.is_not(None), visible_to(viewer))
        .order_by(me.id, Article.locale)
    )
    return grouped(rows, ids)


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
