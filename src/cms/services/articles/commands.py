"""The commands that change articles, each a step of the status machine (`transitions`).

Every command locks the row, asks the policy whether the viewer may take the step from the
article's current state, and writes one new version. Commands flush, never commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.db import Article, ArticleAuthor, ArticleTag
from cms.db.base import db_now
from cms.services import UNSET, policy, save
from cms.services.articles.inputs import ArticleFields, check
from cms.services.articles.transitions import ArticleAction
from cms.services.articles.visibility import bylined, visible_to
from cms.services.errors import InputError, NotFound, Problem, Problems
from cms.services.taxonomy import ensure_tags
from cms.vocabulary import ArticleStatus, ErrorCode


def _take_links(v: dict[str, Any]) -> dict[str, Any]:
    """Move the bylines and tags, which live in their own tables, out of the column values."""
    return {k: v.pop(k) for k in ("author_ids", "tags") if k in v}


async def _write_links(session: AsyncSession, article_id: int, links: dict[str, Any]) -> None:
    if "author_ids" in links:
        await session.execute(delete(ArticleAuthor).where(ArticleAuthor.article_id == article_id))
        if links["author_ids"]:
            await session.execute(
                insert(ArticleAuthor),
                [{"article_id": article_id, "author_id": a, "position": i} for i, a in enumerate(links["author_ids"])],
            )
    if "tags" in links:
        await session.execute(delete(ArticleTag).where(ArticleTag.article_id == article_id))
        tag_ids = await ensure_tags(session, links["tags"])
        if tag_ids:
            await session.execute(
                insert(ArticleTag),
                [{"article_id": article_id, "tag_id": t, "position": i} for i, t in enumerate(tag_ids)],
            )


async def create_article(session: AsyncSession, problems: Problems, viewer: Viewer, f: ArticleFields) -> Article:
    """Create a draft. An AUTHOR's own byline is added when no authors are given.

    Raises InputError (every problem of the input), Forbidden (an AUTHOR with no byline, or
    leaving their own byline off)."""
    policy.require_byline(viewer)
    own = policy.own_byline(viewer)
    if own is not None and (f.author_ids is UNSET or f.author_ids is None):
        f.author_ids = [own]
    if f.slug is UNSET:
        f.slug = None
    v = await check(session, problems, viewer, None, f)
    problems.raise_if_any()
    links = _take_links(v)
    article = Article(status=ArticleStatus.DRAFT.value, **v)
    if "body" not in v:
        article.body = []
    session.add(article)
    await save(session, article)
    await _write_links(session, article.id, links)
    return article


async def _step(
    session: AsyncSession, viewer: Viewer, article_id: int, action: ArticleAction
) -> tuple[Article, ArticleStatus]:
    """Lock a visible article and ask whether the viewer may take `action` on it; returns the
    article and the state it goes to. Raises NotFound, Forbidden, InputError (INVALID step)."""
    article = (
        await session.scalars(
            select(Article)
            .where(Article.id == article_id, visible_to(viewer))
            .with_for_update(of=Article)
            .execution_options(populate_existing=True)
        )
    ).one_or_none()
    if article is None:
        raise NotFound("no such article")
    own = policy.own_byline(viewer)
    mine = own is not None and bool(await session.scalar(select(bylined(own)).where(Article.id == article_id)))
    to = policy.article_step(viewer, action, ArticleStatus(article.shown_status), bylined=mine)
    return article, to


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
    article, _ = await _step(session, viewer, article_id, ArticleAction.UPDATE)
    if expected_version is not None and expected_version != article.version:
        problems.add(
            ("expectedVersion",),
            f"the article is at version {article.version}, not {expected_version}: reload and retry",
            ErrorCode.CONFLICT,
        )
    v = await check(session, problems, viewer, article, f)
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
    Raises NotFound, Forbidden, InputError (a time without a time zone)."""
    if publish_at is not None and publish_at.tzinfo is None:
        raise InputError([Problem(("publishAt",), "publishAt needs a time zone offset")])
    article, to = await _step(session, viewer, article_id, ArticleAction.PUBLISH)
    if publish_at is not None:
        article.published_at = publish_at
    elif article.shown_status != ArticleStatus.PUBLISHED:
        article.published_at = db_now()
    article.status = to.value
    _touch(article)
    await save(session, article)
    return article


async def unpublish_article(session: AsyncSession, viewer: Viewer, article_id: int) -> Article:
    """Take a live or scheduled article back to draft. Raises NotFound, Forbidden."""
    article, to = await _step(session, viewer, article_id, ArticleAction.UNPUBLISH)
    article.status = to.value
    article.published_at = None
    _touch(article)
    await save(session, article)
    return article


async def delete_article(session: AsyncSession, viewer: Viewer, article_id: int) -> None:
    """Delete an article, its bylines, tags and trending pins. Raises NotFound, Forbidden."""
    article, _ = await _step(session, viewer, article_id, ArticleAction.DELETE)
    await session.delete(article)
    await session.flush()
