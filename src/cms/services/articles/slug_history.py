"""Slug history: an old slug of a published article keeps resolving to it, so that frontends can
redirect, until another article in that language takes the slug."""

from __future__ import annotations

from sqlalchemy import ScalarSelect, delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from cms.db import ArticleSlug


async def remember(session: AsyncSession, article_id: int, locale: str, slug: str) -> None:
    """The article was published as `slug`: keep it resolving to the article."""
    stmt = insert(ArticleSlug).values(locale=locale, slug=slug, article_id=article_id)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[ArticleSlug.locale, ArticleSlug.slug], set_={"article_id": article_id}
        )
    )


async def take(session: AsyncSession, locale: str, slug: str) -> None:
    """An article now holds `slug` in `locale`: it wins it from any old holder."""
    await session.execute(delete(ArticleSlug).where(ArticleSlug.locale == locale, ArticleSlug.slug == slug))


def holder(locale: str | None, slug: str) -> ScalarSelect[int]:
    """The id of the article that was published under this slug (in this locale, if given)."""
    stmt = select(ArticleSlug.article_id).where(ArticleSlug.slug == slug)
    if locale is not None:
        stmt = stmt.where(ArticleSlug.locale == locale)
    return stmt.order_by(ArticleSlug.created_at.desc()).limit(1).scalar_subquery()
