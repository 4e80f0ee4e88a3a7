"""The desk's steps: submit for review, return to draft, publish or schedule (with an embargo
end), unpublish, archive and restore. Each is a step of the status machine (`transitions`),
taken under the row lock as one new version, with an audit event; none changes the content, so
none writes a revision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.db import Article
from cms.db.base import db_now
from cms.services import audit, save
from cms.services.articles import schedule
from cms.services.articles.commands import set_state, step, touch
from cms.services.articles.transitions import ArticleAction
from cms.services.errors import InputError, Problem, Problems
from cms.services.text import optional_text
from cms.vocabulary import ArticleStatus, AuditAction

MAX_NOTE = 2000


async def _take(
    session: AsyncSession, viewer: Viewer, article_id: int, action: ArticleAction, event: AuditAction, **values: object
) -> Article:
    """A step that changes the state (and `values`) only: lock, check, store, record."""
    article, to = await step(session, viewer, article_id, action)
    set_state(article, to)
    for key, value in values.items():
        setattr(article, key, value)
    touch(article)
    await save(session, article)
    await audit.record(session, viewer, event, ("Article", article.id), detail={"status": to.value})
    return article


async def submit_for_review(session: AsyncSession, viewer: Viewer, article_id: int) -> Article:
    """DRAFT -> IN_REVIEW; clears the note of an earlier return. Raises NotFound, Forbidden,
    InputError (INVALID step)."""
    return await _take(session, viewer, article_id, ArticleAction.SUBMIT, AuditAction.ARTICLE_SUBMIT, review_note=None)


async def return_to_draft(
    session: AsyncSession, problems: Problems, viewer: Viewer, article_id: int, note: str
) -> Article:
    """IN_REVIEW -> DRAFT, with a note its author can read. Raises NotFound, Forbidden,
    InputError (INVALID step, an empty or long note)."""
    article, to = await step(session, viewer, article_id, ArticleAction.RETURN)
    text = optional_text(problems, ("note",), note, max_length=MAX_NOTE)
    if text is None and not problems:
        problems.add(("note",), "note must say what the author should change")
    problems.raise_if_any()
    set_state(article, to)
    article.review_note = text
    touch(article)
    await save(session, article)
    await audit.record(session, viewer, AuditAction.ARTICLE_RETURN, ("Article", article.id), fields=["reviewNote"])
    return article


async def publish_article(
    session: AsyncSession,
    viewer: Viewer,
    article_id: int,
    publish_at: datetime | None,
    unpublish_at: datetime | None = None,
) -> Article:
    """Publish now, backdate to a past time, or schedule for a future one; with `unpublish_at`,
    hide it again from that instant (the embargo's end).

    The article goes live, and goes again, by itself: visibility compares both times with the
    database clock. Republishing a live article without a time keeps its time.
    Raises NotFound, Forbidden, InputError (INVALID step; a time without a time zone; an end
    not after the publish time, or in the past)."""
    problems = Problems()
    for name, value in (("publishAt", publish_at), ("unpublishAt", unpublish_at)):
        if value is not None and value.tzinfo is None:
            problems.add((name,), f"{name} needs a time zone offset")
    if publish_at and unpublish_at and unpublish_at <= publish_at:
        problems.add(("unpublishAt",), "unpublishAt must come after publishAt")
    problems.raise_if_any()
    article, to = await step(session, viewer, article_id, ArticleAction.PUBLISH)
    now = (await session.execute(select(db_now()))).scalar_one()
    live = article.shown_status == ArticleStatus.PUBLISHED
    published = publish_at or (article.published_at if live and article.published_at else now)
    if unpublish_at is not None and unpublish_at <= max(published, now):
        raise InputError([Problem(("unpublishAt",), "unpublishAt must lie ahead, after the publish time")])
    article.published_at = published
    article.status = to.value
    article.unpublish_at = unpublish_at
    touch(article)
    await save(session, article)
    await schedule.plan(session, article.id)
    live = ArticleStatus(article.shown_status) is ArticleStatus.PUBLISHED
    detail: dict[str, object] = {"publishAt": article.published_at.isoformat() if article.published_at else None}
    if unpublish_at is not None:
        detail["unpublishAt"] = unpublish_at.isoformat()
    event = AuditAction.ARTICLE_PUBLISH if live else AuditAction.ARTICLE_SCHEDULE
    await audit.record(session, viewer, event, ("Article", article.id), detail=detail)
    return article


async def unpublish_article(session: AsyncSession, viewer: Viewer, article_id: int) -> Article:
    """A live or scheduled article back to draft. Raises NotFound, Forbidden, InputError."""
    return await _clear_times(session, viewer, article_id, ArticleAction.UNPUBLISH, AuditAction.ARTICLE_UNPUBLISH)


async def archive_article(session: AsyncSession, viewer: Viewer, article_id: int) -> Article:
    """From any state to ARCHIVED: gone for readers, kept for editors, with its publish time.
    Raises NotFound, Forbidden, InputError (INVALID step)."""
    return await _clear_times(
        session, viewer, article_id, ArticleAction.ARCHIVE, AuditAction.ARTICLE_ARCHIVE, keep_published=True
    )


async def restore_article(session: AsyncSession, viewer: Viewer, article_id: int) -> Article:
    """ARCHIVED -> DRAFT. Raises NotFound, Forbidden, InputError (INVALID step)."""
    return await _clear_times(session, viewer, article_id, ArticleAction.RESTORE, AuditAction.ARTICLE_RESTORE)


async def _clear_times(
    session: AsyncSession,
    viewer: Viewer,
    article_id: int,
    action: ArticleAction,
    event: AuditAction,
    *,
    keep_published: bool = False,
) -> Article:
    """A step out of publishing: no embargo end left, nor a publish time unless kept."""
    article, to = await step(session, viewer, article_id, action)
    set_state(article, to)
    if not keep_published:
        article.published_at = None
    article.unpublish_at = None
    touch(article)
    await save(session, article)
    await schedule.plan(session, article.id)
    await audit.record(session, viewer, event, ("Article", article.id), detail={"status": to.value})
    return article
