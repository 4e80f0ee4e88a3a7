"""The commands that change an article's content: create, update, restore a revision, delete.

Every command locks the row, asks the policy whether the viewer may take the step from the
article's current state (`transitions`), writes one new version with its revision and an audit
event, all in the caller's transaction. Commands flush, never commit. The status commands
(submit, publish, archive...) are in `workflow`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.db import Article, ArticleAuthor, ArticleTag, Author, Media, Section, Tag
from cms.db.base import db_now
from cms.services import UNSET, audit, policy, save
from cms.services.articles import revisions, slug_history
from cms.services.articles.inputs import ArticleFields, check
from cms.services.articles.transitions import ArticleAction
from cms.services.articles.visibility import bylined, visible_to
from cms.services.errors import InputError, NotFound, Problem, Problems
from cms.services.taxonomy import ensure_tags
from cms.vocabulary import ArticleStatus, AuditAction, ErrorCode

# Statuses a command may store; SCHEDULED and PUBLISHED are both stored as PUBLISHED.
_STORED = {ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW, ArticleStatus.ARCHIVED}


def _take_links(v: dict[str, Any]) -> dict[str, Any]:
    """Move the bylines and tags, which live in their own tables, out of the column values."""
    return {k: v.pop(k) for k in ("author_ids", "tags", "tag_ids") if k in v}


async def _write_links(session: AsyncSession, article_id: int, links: dict[str, Any]) -> None:
    if "author_ids" in links:
        await session.execute(delete(ArticleAuthor).where(ArticleAuthor.article_id == article_id))
        if links["author_ids"]:
            await session.execute(
                insert(ArticleAuthor),
                [{"article_id": article_id, "author_id": a, "position": i} for i, a in enumerate(links["author_ids"])],
            )
    if "tags" in links or "tag_ids" in links:
        await session.execute(delete(ArticleTag).where(ArticleTag.article_id == article_id))
        tag_ids = links["tag_ids"] if "tag_ids" in links else await ensure_tags(session, links["tags"])
        if tag_ids:
            await session.execute(
                insert(ArticleTag),
                [{"article_id": article_id, "tag_id": t, "position": i} for i, t in enumerate(tag_ids)],
            )


async def create_article(session: AsyncSession, problems: Problems, viewer: Viewer, f: ArticleFields) -> Article:
    """Create a draft, in its language; an AUTHOR's own byline is added when no authors are given.
    `translation_of_id` makes it a translation of that article (one per language).

    Raises InputError (every problem of the input), Forbidden (an AUTHOR with no byline, or
    leaving their own byline off)."""
    policy.require_byline(viewer)
    own = policy.own_byline(viewer)
    if own is not None and (f.author_ids is UNSET or f.author_ids is None):
        f.author_ids = [own]
    if f.slug is UNSET:
        f.slug = None
    v = await check(session, problems, viewer, None, f)
    group = await _translation_group(session, problems, viewer, f.translation_of_id, v.get("locale"))
    problems.raise_if_any()
    links = _take_links(v)
    article = Article(
        status=ArticleStatus.DRAFT.value, last_edited_by_id=viewer.user_id, translation_group_id=group, **v
    )
    if "body" not in v:
        article.body = []
    session.add(article)
    await save(session, article)
    await _write_links(session, article.id, links)
    await slug_history.take(session, article.locale, article.slug)
    revision = await revisions.write(session, viewer, article, None)
    await audit.record(
        session, viewer, AuditAction.ARTICLE_CREATE, ("Article", article.id), fields=revision.changed_fields
    )
    return article


async def _translation_group(
    session: AsyncSession, problems: Problems, viewer: Viewer, source_id: Any, locale: str | None
) -> int | None:
    """The translation group a new article in `locale` joins (the source's, started at the source
    when it had none); records a problem when the source is not visible or has that language."""
    if source_id is UNSET or source_id is None:
        return None
    at = ("input", "translationOfId")
    source = (
        await session.scalars(select(Article).where(Article.id == source_id, visible_to(viewer)).with_for_update())
    ).one_or_none()
    if source is None:
        problems.add(at, "no such article", ErrorCode.NOT_FOUND)
        return None
    group = source.translation_group_id or source.id
    taken = await session.scalar(
        select(Article.id).where(
            Article.locale == locale, (Article.translation_group_id == group) | (Article.id == group)
        )
    )
    if taken is not None:
        problems.add(at, f"the story already has a translation in '{locale}'", ErrorCode.ALREADY_EXISTS)
        return None
    source.translation_group_id = group
    return group


async def step(
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
    mine = await is_bylined(session, viewer, article_id)
    to = policy.article_step(viewer, action, ArticleStatus(article.shown_status), bylined=mine)
    return article, to


async def is_bylined(session: AsyncSession, viewer: Viewer, article_id: int) -> bool:
    """Whether the viewer's own byline is on the article."""
    own = policy.own_byline(viewer)
    return own is not None and bool(await session.scalar(select(bylined(own)).where(Article.id == article_id)))


def touch(article: Article, viewer: Viewer | None = None) -> None:
    """One more version, changed now (by the viewer, when it is a change of content)."""
    article.version = Article.version + 1
    article.updated_at = db_now()
    if viewer is not None:
        article.last_edited_by_id = viewer.user_id


def set_state(article: Article, to: ArticleStatus) -> None:
    """Store the state a step leads to; PUBLISHED and SCHEDULED are the publish command's."""
    if to in _STORED:
        article.status = to.value


async def _save_content(
    session: AsyncSession,
    viewer: Viewer,
    article: Article,
    to: ArticleStatus,
    values: dict[str, Any],
    links: dict[str, Any],
) -> list[str]:
    """Write a change of content as a new version with its revision; returns the changed fields."""
    before = await revisions.latest_snapshot(session, article.id)
    old_slug, was_live = article.slug, article.shown_status == ArticleStatus.PUBLISHED
    for key, value in values.items():
        setattr(article, key, value)
    set_state(article, to)
    touch(article, viewer)
    await save(session, article)
    await _write_links(session, article.id, links)
    if article.slug != old_slug:
        await slug_history.take(session, article.locale, article.slug)
        if was_live:
            await slug_history.remember(session, article.id, article.locale, old_slug)
    revision = await revisions.write(session, viewer, article, before)
    return list(revision.changed_fields)


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

    Raises NotFound, Forbidden, InputError (INVALID step, CONFLICT on a stale version, every
    input problem)."""
    article, to = await step(session, viewer, article_id, ArticleAction.UPDATE)
    _check_version(problems, article, expected_version)
    v = await check(session, problems, viewer, article, f)
    problems.raise_if_any()
    links = _take_links(v)
    fields = await _save_content(session, viewer, article, to, v, links)
    await audit.record(session, viewer, AuditAction.ARTICLE_UPDATE, ("Article", article.id), fields=fields)
    return article


def _check_version(problems: Problems, article: Article, expected: int | None) -> None:
    if expected is not None and expected != article.version:
        problems.add(
            ("expectedVersion",),
            f"the article is at version {article.version}, not {expected}: reload and retry",
            ErrorCode.CONFLICT,
        )


async def restore_revision(
    session: AsyncSession,
    problems: Problems,
    viewer: Viewer,
    article_id: int,
    version: int,
    *,
    expected_version: int | None = None,
) -> Article:
    """Make a revision's content current again, as a new version (history is never rewritten).
    What it refers to and no longer exists (a deleted photo, author, section or tag) is left out.

    Raises NotFound, Forbidden, InputError (INVALID step, no such version, CONFLICT on a stale
    version, ALREADY_EXISTS when another article holds the slug now)."""
    article, to = await step(session, viewer, article_id, ArticleAction.UPDATE)
    _check_version(problems, article, expected_version)
    revision = await revisions.get_revision(session, article_id, version)
    if revision is None:
        raise InputError([Problem(("version",), f"the article has no version {version}", ErrorCode.NOT_FOUND)])
    snap = revision.snapshot
    taken = await session.scalar(
        select(Article.id).where(
            Article.locale == article.locale, Article.slug == snap["slug"], Article.id != article.id
        )
    )
    if taken is not None:
        problems.add(
            ("version",), f"the slug '{snap['slug']}' now belongs to another article", ErrorCode.ALREADY_EXISTS
        )
    problems.raise_if_any()
    values = {
        key: snap[key]
        for key in revisions.FIELDS
        if key not in ("author_ids", "tag_ids", "locale", "hero_image_id", "section_id") and key in snap
    }
    values["word_count"] = snap.get("word_count", article.word_count)
    values["hero_image_id"] = await _existing(session, Media, snap.get("hero_image_id"))
    values["section_id"] = await _existing(session, Section, snap.get("section_id"))
    links = {
        "author_ids": await _still_there(session, Author, snap.get("author_ids", [])),
        "tag_ids": await _still_there(session, Tag, snap.get("tag_ids", [])),
    }
    fields = await _save_content(session, viewer, article, to, values, links)
    await audit.record(
        session,
        viewer,
        AuditAction.ARTICLE_REVISION_RESTORE,
        ("Article", article.id),
        fields=fields,
        detail={"restoredVersion": version},
    )
    return article


async def _existing(session: AsyncSession, model: Any, pk: int | None) -> int | None:
    if pk is None:
        return None
    return pk if await session.get(model, pk) is not None else None


async def _still_there(session: AsyncSession, model: Any, ids: list[int]) -> list[int]:
    found = set((await session.scalars(select(model.id).where(model.id.in_(ids)))).all())
    return [i for i in ids if i in found]


async def delete_article(session: AsyncSession, viewer: Viewer, article_id: int) -> None:
    """Delete an article, its bylines, tags, trending pins, revisions and old slugs.

    Raises NotFound, Forbidden, InputError (INVALID step)."""
    article, _ = await step(session, viewer, article_id, ArticleAction.DELETE)
    await audit.record(
        session, viewer, AuditAction.ARTICLE_DELETE, ("Article", article.id), detail={"title": article.title}
    )
    await session.delete(article)
    await session.flush()
