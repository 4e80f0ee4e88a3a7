"""Sections and tags."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from cms.db import ArticleTag, Section, Tag
from cms.services import grouped, save
from cms.services.errors import Problems
from cms.services.slugs import choose_slug
from cms.services.text import required_line


async def list_sections(session: AsyncSession) -> list[Section]:
    return list((await session.scalars(select(Section).order_by(Section.name, Section.id))).all())


async def sections_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Section | None]:
    """Batch load, in key order."""
    rows = {s.id: s for s in await session.scalars(select(Section).where(Section.id.in_(ids)))}
    return [rows.get(i) for i in ids]


async def create_section(session: AsyncSession, problems: Problems, *, name: str, slug: str | None) -> Section:
    """Create a section. Raises InputError (empty name, taken slug)."""
    name = required_line(problems, ("input", "name"), name, max_length=100)
    slug = await choose_slug(session, problems, Section, given=slug, source=name, fallback="section")
    problems.raise_if_any()
    section = Section(name=name, slug=slug)
    session.add(section)
    await save(session, section)
    return section


async def list_tags(session: AsyncSession) -> list[Tag]:
    return list((await session.scalars(select(Tag).order_by(Tag.name, Tag.id))).all())


async def tags_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Tag | None]:
    rows = {t.id: t for t in await session.scalars(select(Tag).where(Tag.id.in_(ids)))}
    return [rows.get(i) for i in ids]


def tag_name(slug: str) -> str:
    """The name a tag made from its slug alone is shown with: "city-hall" as "City Hall"."""
    return " ".join(word.capitalize() for word in slug.split("-"))


async def ensure_tags(session: AsyncSession, tags: Sequence[tuple[str, str]]) -> list[int]:
    """The ids of these (slug, name) tags, in order, creating the ones not used before; an
    existing tag keeps its name."""
    if not tags:
        return []
    await session.execute(
        insert(Tag).values([{"slug": s, "name": n} for s, n in tags]).on_conflict_do_nothing(index_elements=[Tag.slug])
    )
    slugs = [s for s, _ in tags]
    ids = dict((await session.execute(select(Tag.slug, Tag.id).where(Tag.slug.in_(slugs)))).all())
    return [ids[s] for s in slugs]


async def tags_for_articles(session: AsyncSession, article_ids: Sequence[int]) -> list[list[Tag]]:
    """Batch load: each article's tags in the order given, in key order."""
    rows = await session.execute(
        select(ArticleTag.article_id, Tag)
        .join(Tag, Tag.id == ArticleTag.tag_id)
        .where(ArticleTag.article_id.in_(article_ids))
        .order_by(ArticleTag.article_id, ArticleTag.position)
    )
    return grouped(rows, article_ids)
