"""Trending lists such as "Trending Now": articles pinned by editors, in order, above the most
read articles of the list's window (computed in `trending_scores`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import ANONYMOUS, Viewer
from cms.db import Article, Section, TrendingList, TrendingPin
from cms.db.base import db_now
from cms.services import UNSET, audit, grouped, save
from cms.services.articles.visibility import visible_to
from cms.services.errors import InputError, NotFound, Problem, Problems
from cms.services.slugs import choose_slug
from cms.services.text import optional_text, required_line
from cms.vocabulary import AuditAction, ErrorCode, TrendingWindow

MAX_PINS = 50


@dataclass
class ListFields:
    """Input for create and update; on update only the fields not left as UNSET change."""

    title: Any = UNSET
    slug: Any = UNSET
    description: Any = UNSET
    read_window: Any = UNSET  # a TrendingWindow; DAY when created without one
    section_id: Any = UNSET  # None: every section


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


async def _check(session: AsyncSession, problems: Problems, row: TrendingList | None, f: ListFields) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if f.title is not UNSET:
        values["title"] = required_line(problems, ("input", "title"), f.title or "", max_length=200)
    if f.description is not UNSET:
        values["description"] = optional_text(problems, ("input", "description"), f.description, max_length=2000)
    if f.read_window is not UNSET and f.read_window is not None:
        values["read_window"] = TrendingWindow(f.read_window).value
    if f.section_id is not UNSET:
        if f.section_id is not None and await session.get(Section, f.section_id) is None:
            problems.add(("input", "sectionId"), "no such section", ErrorCode.NOT_FOUND)
        values["section_id"] = f.section_id
    if f.slug is not UNSET and (f.slug is not None or row is None):
        values["slug"] = await choose_slug(
            session,
            problems,
            TrendingList,
            given=f.slug,
            source=values.get("title") or (row.title if row else ""),
            fallback="trending",
            exclude_id=row.id if row else None,
        )
    return values


def _names(trending: TrendingList) -> dict[str, str]:
    """What the log keeps to tell a list by, once renamed or deleted."""
    return {"title": trending.title, "slug": trending.slug}


async def create_list(session: AsyncSession, problems: Problems, viewer: Viewer, f: ListFields) -> TrendingList:
    """Create a list with no pins. Raises InputError (empty title, taken slug, unknown section)."""
    values = await _check(session, problems, None, f)
    problems.raise_if_any()
    trending = TrendingList(**values)
    session.add(trending)
    await save(session, trending)
    subject = ("TrendingList", trending.id)
    await audit.record(session, viewer, AuditAction.TRENDING_LIST_CREATE, subject, detail=_names(trending))
    return trending


async def update_list(
    session: AsyncSession, problems: Problems, viewer: Viewer, list_id: int, f: ListFields
) -> TrendingList:
    """Change the title, slug, description, window or section. Raises NotFound, InputError."""
    trending = await session.get(TrendingList, list_id, with_for_update=True)
    if trending is None:
        raise NotFound("no such trending list")
    values = await _check(session, problems, trending, f)
    problems.raise_if_any()
    changed = [key for key, value in values.items() if getattr(trending, key) != value]
    for key, value in values.items():
        setattr(trending, key, value)
    trending.updated_at = db_now()
    await save(session, trending)
    await audit.record(session, viewer, AuditAction.TRENDING_LIST_UPDATE, ("TrendingList", list_id), fields=changed)
    return trending


async def delete_list(session: AsyncSession, viewer: Viewer, list_id: int) -> None:
    """Delete a list and its pins (nothing else refers to a list). Raises NotFound."""
    trending = await session.get(TrendingList, list_id)
    if trending is None:
        raise NotFound("no such trending list")
    subject = ("TrendingList", list_id)
    await audit.record(session, viewer, AuditAction.TRENDING_LIST_DELETE, subject, detail=_names(trending))
    await session.delete(trending)
    await session.flush()


async def _locked(session: AsyncSession, slug: str) -> tuple[TrendingList, list[int]]:
    """The list, locked so that concurrent pin changes apply one after the other, and its pins."""
    trending = (
        await session.scalars(select(TrendingList).where(TrendingList.slug == slug).with_for_update())
    ).one_or_none()
    if trending is None:
        raise NotFound("no such trending list")
    pins = await session.scalars(
        select(TrendingPin.article_id).where(TrendingPin.list_id == trending.id).order_by(TrendingPin.position)
    )
    return trending, list(pins.all())


async def _check_pinnable(session: AsyncSession, problems: Problems, article_ids: Sequence[int], field: str) -> None:
    """Only what a reader can see may be pinned: an unknown article is NOT_FOUND, a draft or a
    scheduled one INVALID."""
    found = set((await session.scalars(select(Article.id).where(Article.id.in_(article_ids)))).all())
    live = set(
        (await session.scalars(select(Article.id).where(Article.id.in_(article_ids), visible_to(ANONYMOUS)))).all()
    )
    for i, article_id in enumerate(article_ids):
        at = (field, str(i)) if field == "articleIds" else (field,)
        if article_id not in found:
            problems.add(at, "no such article", ErrorCode.NOT_FOUND)
        elif article_id not in live:
            problems.add(at, "only published articles can be pinned: readers cannot see this one")


async def _write(
    session: AsyncSession, viewer: Viewer, trending: TrendingList, article_ids: Sequence[int], change: dict[str, Any]
) -> TrendingList:
    """Store the list's pins in this order; `change` says for the audit log what happened, e.g.
    {"change": "add", "articleId": 7, "rank": 1}."""
    await session.execute(delete(TrendingPin).where(TrendingPin.list_id == trending.id))
    if article_ids:
        await session.execute(
            insert(TrendingPin),
            [{"list_id": trending.id, "article_id": a, "position": i} for i, a in enumerate(article_ids)],
        )
    trending.updated_at = db_now()
    await save(session, trending)
    await audit.record(session, viewer, AuditAction.TRENDING_LIST_PINS, ("TrendingList", trending.id), detail=change)
    return trending


async def set_pins(
    session: AsyncSession, problems: Problems, viewer: Viewer, *, slug: str, article_ids: Sequence[int]
) -> TrendingList:
    """Replace a list's pins with these articles, in this order.

    Raises NotFound (no such list), InputError (unknown, unpublished or repeated articles)."""
    trending, _ = await _locked(session, slug)
    if len(article_ids) > MAX_PINS:
        problems.add(("articleIds",), f"a list holds at most {MAX_PINS} pins")
    if len(set(article_ids)) != len(article_ids):
        problems.add(("articleIds",), "an article is pinned twice")
    await _check_pinnable(session, problems, article_ids, "articleIds")
    problems.raise_if_any()
    return await _write(session, viewer, trending, article_ids, {"change": "set", "articleIds": list(article_ids)})


def _position(problems: Problems, rank: int | None, size: int) -> int:
    """The 0-based slot of a 1-based rank among `size` pins; None means the end."""
    if rank is None:
        return size
    if not 1 <= rank <= size + 1:
        problems.add(("rank",), f"rank must be between 1 and {size + 1}")
    return max(0, min(rank - 1, size))


async def add_pin(
    session: AsyncSession, problems: Problems, viewer: Viewer, *, slug: str, article_id: int, rank: int | None
) -> TrendingList:
    """Pin one article at `rank` (1 is the top; the end when not given); the pins below move down.

    Raises NotFound (no such list), InputError (unknown or unpublished article, already pinned,
    list full, rank out of range)."""
    trending, pins = await _locked(session, slug)
    if article_id in pins:
        problems.add(("articleId",), f"already pinned at rank {pins.index(article_id) + 1}", ErrorCode.ALREADY_EXISTS)
    elif len(pins) >= MAX_PINS:
        problems.add(("articleId",), f"a list holds at most {MAX_PINS} pins")
    await _check_pinnable(session, problems, [article_id], "articleId")
    at = _position(problems, rank, len(pins))
    problems.raise_if_any()
    change = {"change": "add", "articleId": article_id, "rank": at + 1}
    return await _write(session, viewer, trending, [*pins[:at], article_id, *pins[at:]], change)


async def remove_pin(session: AsyncSession, viewer: Viewer, *, slug: str, article_id: int) -> TrendingList:
    """Unpin one article; the pins below move up. Raises NotFound (no such list), InputError."""
    trending, pins = await _locked(session, slug)
    if article_id not in pins:
        raise InputError([Problem(("articleId",), "this article is not pinned on the list", ErrorCode.NOT_FOUND)])
    change = {"change": "remove", "articleId": article_id, "rank": pins.index(article_id) + 1}
    return await _write(session, viewer, trending, [a for a in pins if a != article_id], change)


async def move_pin(
    session: AsyncSession, problems: Problems, viewer: Viewer, *, slug: str, article_id: int, rank: int
) -> TrendingList:
    """Move one pinned article to `rank` (1 is the top). Raises NotFound (no such list), InputError."""
    trending, pins = await _locked(session, slug)
    if article_id not in pins:
        raise InputError([Problem(("articleId",), "this article is not pinned on the list", ErrorCode.NOT_FOUND)])
    rest = [a for a in pins if a != article_id]
    at = _position(problems, rank, len(rest))
    problems.raise_if_any()
    change = {"change": "move", "articleId": article_id, "from": pins.index(article_id) + 1, "to": at + 1}
    return await _write(session, viewer, trending, [*rest[:at], article_id, *rest[at:]], change)
