"""Revisions: every saved change of an article's content, kept as a snapshot, never rewritten.

A snapshot holds the content fields by their column names, the bylines as author ids and the
tags as tag ids; `changed_fields` names, in the API's words, what differs from the revision
before. Revisions live in a table of their own: list views never read them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.db import Article, ArticleAuthor, ArticleRevision, ArticleTag
from cms.services.pagination import Keyset, Page, paginate

# Snapshot key -> the API field that changed.
FIELDS: dict[str, str] = {
    "title": "title",
    "slug": "slug",
    "locale": "locale",
    "standfirst": "standfirst",
    "body": "body",
    "hero_image_id": "heroImageId",
    "section_id": "sectionId",
    "sources": "sources",
    "seo_title": "seoTitle",
    "seo_description": "seoDescription",
    "canonical_url": "canonicalUrl",
    "author_ids": "authorIds",
    "tag_ids": "tags",
}
# Stored with the snapshot (derived from the body), never a change of its own.
_DERIVED = ("word_count",)


async def snapshot(session: AsyncSession, article: Article) -> dict[str, Any]:
    """The article's content as it stands now, links included."""
    authors = await session.scalars(
        select(ArticleAuthor.author_id).where(ArticleAuthor.article_id == article.id).order_by(ArticleAuthor.position)
    )
    tags = await session.scalars(
        select(ArticleTag.tag_id).where(ArticleTag.article_id == article.id).order_by(ArticleTag.position)
    )
    columns = {key: getattr(article, key) for key in (*FIELDS, *_DERIVED) if key not in ("author_ids", "tag_ids")}
    return {**columns, "author_ids": list(authors.all()), "tag_ids": list(tags.all())}


def changed(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """The API fields that differ; on a first revision, the ones that hold anything."""
    if before is None:
        return [name for key, name in FIELDS.items() if after.get(key) not in (None, "", [])]
    return [name for key, name in FIELDS.items() if before.get(key) != after.get(key)]


async def latest_snapshot(session: AsyncSession, article_id: int) -> dict[str, Any] | None:
    stmt = (
        select(ArticleRevision.snapshot)
        .where(ArticleRevision.article_id == article_id)
        .order_by(ArticleRevision.version.desc())
        .limit(1)
    )
    result: dict[str, Any] | None = await session.scalar(stmt)
    return result


async def write(
    session: AsyncSession, viewer: Viewer, article: Article, before: dict[str, Any] | None
) -> ArticleRevision:
    """Record the article's current content as the revision of its current version."""
    after = await snapshot(session, article)
    revision = ArticleRevision(
        article_id=article.id,
        version=article.version,
        created_by_id=viewer.user_id,
        snapshot=after,
        changed_fields=changed(before, after),
    )
    session.add(revision)
    await session.flush()
    return revision


_NEWEST: Keyset[ArticleRevision] = Keyset(
    "revision:version:desc", ArticleRevision.version, ArticleRevision.id, True, lambda r: r.version, int
)


async def list_revisions(
    session: AsyncSession, article_id: int, *, first: int | None, after: str | None
) -> Page[ArticleRevision]:
    """An article's revisions, newest first. Raises InputError (page size, cursor)."""
    return await paginate(
        session, ArticleRevision, [ArticleRevision.article_id == article_id], _NEWEST, first=first, after=after
    )


async def get_revision(session: AsyncSession, article_id: int, version: int) -> ArticleRevision | None:
    stmt = select(ArticleRevision).where(ArticleRevision.article_id == article_id, ArticleRevision.version == version)
    return (await session.scalars(stmt)).one_or_none()


async def revisions_by_ids(session: AsyncSession, ids: list[int]) -> list[ArticleRevision | None]:
    rows = {r.id: r for r in await session.scalars(select(ArticleRevision).where(ArticleRevision.id.in_(ids)))}
    return [rows.get(i) for i in ids]
