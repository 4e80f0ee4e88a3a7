"""Curated trending lists such as "Trending Now": articles pinned by editors, in order."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.db import Article, TrendingList, TrendingPin
from cms.db.base import db_now
from cms.services import grouped, save
from cms.services.articles.visibility import visible_to
from cms.services.errors import NotFound, Problems
from cms.services.slugs import choose_slug
from cms.services.text import required_line
from cms.vocabulary import ErrorCode

MAX_PINS = 50


async def get_list(session: AsyncSession, slug: str) -> TrendingList | None:
    return (await session.scalars(select(TrendingList).where(TrendingList.slug == slug))).one_or_none()


async def lists_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[TrendingList | None]:
    rows = {t.id: t for t in await session.scalars(select(TrendingList).where(TrendingList.id.in_(ids)))}
    return [rows.get(i) for i in ids]


async def all_lists(session: AsyncSession) -> list[TrendingList]:
    return list((await session.scalars(select(TrendingList).order_by(TrendingList.title, TrendingList.id))).all())


async def pinned_articles(session: AsyncSession, viewer: Viewer, list_ids: Sequence[int]) -> list[list[Article]]:
    """Batch load: each list's pinned articles the viewer may see, in rank order, in key order."""
    rows = await session.execute(
        select(TrendingPin.list_id, Article)
        .join(Article, Article.id == TrendingPin.article_id)
        .where(TrendingPin.list_id.in_(list_ids), visible_to(viewer))
        .order_by(TrendingPin.list_id, TrendingPin.position)
    )
    return grouped(rows, list_ids)


async def create_list(session: AsyncSession, problems: Problems, *, title: str, slug: str | None) -> TrendingList:
    """Create an empty list. Raises InputError (empty title, taken slug)."""
    title = required_line(problems, ("input", "title"), title, max_length=200)
    slug = await choose_slug(session, problems, TrendingList, given=slug, source=title, fallback="trending")
    problems.raise_if_any()
    trending = TrendingList(title=title, slug=slug)
    session.add(trending)
    await save(session, trending)
    return trending


async def set_pins(session: AsyncSession, problems: Problems, *, slug: str, article_ids: Sequence[int]) -> TrendingList:
    """Replace a list's pins with these articles, in this order.

    Raises NotFound (no such list), InputError (unknown or repeated articles)."""
    trending = (
        await session.scalars(select(TrendingList).where(TrendingList.slug == slug).with_for_update())
    ).one_or_none()
    if trending is None:
        raise NotFound("no such trending list")
    if len(article_ids) > MAX_PINS:
        problems.add(("articleIds",), f"a list holds at most {MAX_PINS} pins")
    if len(set(article_ids)) != len(article_ids):
        problems.add(("articleIds",), "an article is pinned twice")
    found = set((await session.scalars(select(Article.id).where(Article.id.in_(article_ids)))).all())
    for i, article_id in enumerate(article_ids):
        if article_id not in found:
            problems.add(("articleIds", str(i)), "no such article", ErrorCode.NOT_FOUND)
    problems.raise_if_any()
    await session.execute(delete(TrendingPin).where(TrendingPin.list_id == trending.id))
    if article_ids:
        await session.execute(
            insert(TrendingPin),
            [{"list_id": trending.id, "article_id": a, "position": i} for i, a in enumerate(article_ids)],
        )
    trending.updated_at = db_now()
    await save(session, trending)
    return trending
