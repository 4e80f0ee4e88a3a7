"""Sections and tags: what readers may see of them, and the commands that change them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, delete, exists, func, select, true, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.db import Article, ArticleTag, Section, Tag
from cms.db.base import db_now
from cms.services import UNSET, audit, grouped, policy, save
from cms.services.articles.visibility import visible_to
from cms.services.errors import InputError, NotFound, Problem, Problems
from cms.services.slugs import choose_slug
from cms.services.text import optional_text, required_line, some_named
from cms.vocabulary import AuditAction, ErrorCode

Label = TypeVar("Label", Section, Tag)
MAX_NAME = 100
MAX_DESCRIPTION = 2000
# What the audit log calls creating, changing and deleting each kind of label.
_ACTIONS = {
    Section: (AuditAction.SECTION_CREATE, AuditAction.SECTION_UPDATE, AuditAction.SECTION_DELETE),
    Tag: (AuditAction.TAG_CREATE, AuditAction.TAG_UPDATE, AuditAction.TAG_DELETE),
}


@dataclass
class LabelFields:
    """Input for sections and tags; on update only the fields not left as UNSET change."""

    name: Any = UNSET
    slug: Any = UNSET
    description: Any = UNSET


def tag_name(slug: str) -> str:
    """The name a tag made from its slug alone is shown with: "city-hall" as "City Hall"."""
    return " ".join(word.capitalize() for word in slug.split("-"))


# Reading: a section or tag exists for a reader once an article they may read uses it, so
# nothing reveals drafts or scheduled stories ("Election results 2027" with one embargoed story).


def in_use(model: type[Label], viewer: Viewer) -> ColumnElement[bool]:
    """The sections (or tags) a viewer may see: those of articles they may read."""
    if policy.reads_unpublished(viewer):
        return true()
    if model is Section:
        return exists().where(Article.section_id == Section.id, visible_to(viewer))
    return exists().where(ArticleTag.tag_id == Tag.id, ArticleTag.article_id == Article.id, visible_to(viewer))


async def list_labels(session: AsyncSession, viewer: Viewer, model: type[Label]) -> list[Label]:
    """All sections (or tags) the viewer may see, by name."""
    stmt = select(model).where(in_use(model, viewer)).order_by(model.name, model.id)
    return list((await session.scalars(stmt)).all())


async def get_label(
    session: AsyncSession, viewer: Viewer, model: type[Label], *, id: int | None = None, slug: str | None = None
) -> Label | None:
    """One section (or tag) by id or slug, or None when the viewer may not see it."""
    match = model.id == id if id is not None else model.slug == slug
    return (await session.scalars(select(model).where(match, in_use(model, viewer)))).one_or_none()


async def labels_by_ids(
    session: AsyncSession, viewer: Viewer, model: type[Label], ids: Sequence[int]
) -> list[Label | None]:
    """Batch load of the ones the viewer may see, in key order."""
    rows = {r.id: r for r in await session.scalars(select(model).where(model.id.in_(ids), in_use(model, viewer)))}
    return [rows.get(i) for i in ids]


async def sections_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Section | None]:
    """Batch load of the sections of articles already shown to be visible, in key order: whoever
    may read an article may see its section."""
    rows = {r.id: r for r in await session.scalars(select(Section).where(Section.id.in_(ids)))}
    return [rows.get(i) for i in ids]


async def tags_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Tag | None]:
    """Batch load of tags of articles (or revisions) already shown to be visible, in key order."""
    rows = {r.id: r for r in await session.scalars(select(Tag).where(Tag.id.in_(ids)))}
    return [rows.get(i) for i in ids]


async def list_sections(session: AsyncSession, viewer: Viewer) -> list[Section]:
    return await list_labels(session, viewer, Section)


async def list_tags(session: AsyncSession, viewer: Viewer) -> list[Tag]:
    return await list_labels(session, viewer, Tag)


async def tags_for_articles(session: AsyncSession, article_ids: Sequence[int]) -> list[list[Tag]]:
    """Batch load: each article's tags in the order given, in key order."""
    rows = await session.execute(
        select(ArticleTag.article_id, Tag)
        .join(Tag, Tag.id == ArticleTag.tag_id)
        .where(ArticleTag.article_id.in_(article_ids))
        .order_by(ArticleTag.article_id, ArticleTag.position)
    )
    return grouped(rows, article_ids)


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


# Commands


async def _check(
    session: AsyncSession, problems: Problems, model: type[Label], row: Label | None, f: LabelFields
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if f.name is not UNSET:
        values["name"] = required_line(problems, ("input", "name"), f.name or "", max_length=MAX_NAME)
    if f.description is not UNSET:
        values["description"] = optional_text(
            problems, ("input", "description"), f.description, max_length=MAX_DESCRIPTION
        )
    if f.slug is not UNSET and (f.slug is not None or row is None):
        values["slug"] = await choose_slug(
            session,
            problems,
            model,
            given=f.slug,
            source=values.get("name") or (row.name if row else ""),
            fallback=model.__tablename__.rstrip("s"),
            exclude_id=row.id if row else None,
        )
    return values


def _names(row: Section | Tag) -> dict[str, str]:
    """What the log keeps to tell a section or tag by, once renamed or deleted."""
    return {"name": row.name, "slug": row.slug}


async def create_label(
    session: AsyncSession, problems: Problems, viewer: Viewer, model: type[Label], f: LabelFields
) -> Label:
    """Create a section or tag; the slug is derived from the name when not given.

    Raises InputError (empty name, taken slug, long description)."""
    if f.slug is UNSET:
        f.slug = None
    values = await _check(session, problems, model, None, f)
    problems.raise_if_any()
    row = model(**values)
    session.add(row)
    await save(session, row)
    await audit.record(session, viewer, _ACTIONS[model][0], (model.__name__, row.id), detail=_names(row))
    return row


async def create_section(
    session: AsyncSession,
    problems: Problems,
    viewer: Viewer,
    *,
    name: str,
    slug: str | None,
    description: str | None = None,
) -> Section:
    """Create a section. Raises InputError (empty name, taken slug)."""
    fields = LabelFields(name=name, slug=slug, description=description)
    return await create_label(session, problems, viewer, Section, fields)


async def _locked(session: AsyncSession, model: type[Label], pk: int) -> Label:
    row = await session.get(model, pk, with_for_update=True)
    if row is None:
        raise NotFound(f"no such {model.__tablename__.rstrip('s')}")
    return row


async def update_label(
    session: AsyncSession, problems: Problems, viewer: Viewer, model: type[Label], pk: int, f: LabelFields
) -> Label:
    """Change the fields given. Raises NotFound, InputError."""
    row = await _locked(session, model, pk)
    values = await _check(session, problems, model, row, f)
    problems.raise_if_any()
    changed = [key for key, value in values.items() if getattr(row, key) != value]
    for key, value in values.items():
        setattr(row, key, value)
    await save(session, row)
    await audit.record(session, viewer, _ACTIONS[model][1], (model.__name__, row.id), fields=changed)
    return row


def _articles_using(model: type[Label], pk: int) -> ColumnElement[bool]:
    if model is Section:
        return Article.section_id == pk
    return exists().where(ArticleTag.article_id == Article.id, ArticleTag.tag_id == pk)


async def delete_label(session: AsyncSession, viewer: Viewer, model: type[Label], pk: int, *, detach: bool) -> None:
    """Delete a section or tag. Articles that use it keep it unless `detach` takes it off them
    (each such article gets a new version).

    Raises NotFound, InputError (CONFLICT: articles use it, named in the message)."""
    row = await _locked(session, model, pk)
    using = _articles_using(model, pk)
    detail: dict[str, Any] = _names(row)
    if not detach:
        titles = list((await session.scalars(select(Article.title).where(using).order_by(Article.id).limit(4))).all())
        if titles:
            total = await session.scalar(select(func.count()).select_from(Article).where(using)) or 0
            named = some_named(titles, total)
            kind, plural = model.__tablename__.rstrip("s"), "s" if total != 1 else ""
            message = f"this {kind} is used by {total} article{plural} ({named}): pass detach: true to take it off them"
            raise InputError([Problem(("id",), message, ErrorCode.CONFLICT)])
    else:
        changes: dict[str, Any] = {"version": Article.version + 1, "updated_at": db_now()}
        if model is Section:
            changes["section_id"] = None
        detached = await session.scalars(update(Article).where(using).values(**changes).returning(Article.id))
        detail["articlesDetached"] = len(detached.all())
    if model is Tag:
        await session.execute(delete(ArticleTag).where(ArticleTag.tag_id == pk))
    await audit.record(session, viewer, _ACTIONS[model][2], (model.__name__, pk), detail=detail)
    await session.delete(row)
    await session.flush()
