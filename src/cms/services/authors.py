"""Authors: the bylines articles are credited to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.db import ArticleAuthor, Author, Media
from cms.db.base import db_now
from cms.services import UNSET, audit, save
from cms.services.errors import InputError, NotFound, Problem, Problems
from cms.services.pagination import Keyset, Page, paginate, text_key
from cms.services.slugs import choose_slug
from cms.services.text import optional_text, required_line
from cms.vocabulary import AuditAction, ErrorCode

# Column names that the API calls otherwise, for the audit log's changed fields.
_API_NAMES = {"avatar_id": "avatarId"}


@dataclass
class AuthorFields:
    """Input for create and update; on update only the fields not left as UNSET change."""

    name: str | None = UNSET
    slug: str | None = UNSET
    bio: str | None = UNSET
    avatar_id: int | None = UNSET


async def get_author(session: AsyncSession, *, id: int | None = None, slug: str | None = None) -> Author | None:
    stmt = select(Author).where(Author.id == id if id is not None else Author.slug == slug)
    return (await session.scalars(stmt)).one_or_none()


async def authors_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Author | None]:
    """Batch load, in key order."""
    rows = {a.id: a for a in await session.scalars(select(Author).where(Author.id.in_(ids)))}
    return [rows.get(i) for i in ids]


async def existing_ids(session: AsyncSession, ids: Sequence[int]) -> set[int]:
    return set((await session.scalars(select(Author.id).where(Author.id.in_(ids)))).all())


_BY_NAME: Keyset[Author] = Keyset("author:name", Author.name, Author.id, False, lambda a: a.name, text_key)


async def list_authors(session: AsyncSession, *, first: int | None, after: str | None) -> Page[Author]:
    """Authors by name. Raises InputError (page size, cursor)."""
    return await paginate(session, Author, [], _BY_NAME, first=first, after=after)


async def _check(
    session: AsyncSession, problems: Problems, author: Author | None, fields: AuthorFields
) -> dict[str, object]:
    values: dict[str, object] = {}
    if fields.name is not UNSET:
        values["name"] = required_line(problems, ("input", "name"), fields.name or "", max_length=200)
    if fields.bio is not UNSET:
        values["bio"] = optional_text(problems, ("input", "bio"), fields.bio, max_length=5000)
    if fields.avatar_id is not UNSET:
        if fields.avatar_id is not None and await session.get(Media, fields.avatar_id) is None:
            problems.add(("input", "avatarId"), "no such media", ErrorCode.NOT_FOUND)
        values["avatar_id"] = fields.avatar_id
    if fields.slug is not UNSET and (fields.slug is not None or author is None):
        source = str(values.get("name") or (author.name if author else ""))
        values["slug"] = await choose_slug(
            session,
            problems,
            Author,
            given=fields.slug,
            source=source,
            fallback="author",
            exclude_id=author.id if author else None,
        )
    return values


async def create_author(session: AsyncSession, problems: Problems, viewer: Viewer, fields: AuthorFields) -> Author:
    """Create an author; the slug is derived from the name when not given.

    Raises InputError (empty name, taken slug, unknown avatar)."""
    if fields.slug is UNSET:
        fields.slug = None
    values = await _check(session, problems, None, fields)
    problems.raise_if_any()
    author = Author(**values)
    session.add(author)
    await save(session, author)
    await audit.record(session, viewer, AuditAction.AUTHOR_CREATE, ("Author", author.id), detail=_names(author))
    return author


async def update_author(
    session: AsyncSession, problems: Problems, viewer: Viewer, author_id: int, fields: AuthorFields
) -> Author:
    """Change the fields given. Raises NotFound, InputError."""
    author = await session.get(Author, author_id, with_for_update=True)
    if author is None:
        raise NotFound("no such author")
    values = await _check(session, problems, author, fields)
    problems.raise_if_any()
    changed = [_API_NAMES.get(key, key) for key, value in values.items() if getattr(author, key) != value]
    for key, value in values.items():
        setattr(author, key, value)
    author.updated_at = db_now()
    await save(session, author)
    await audit.record(session, viewer, AuditAction.AUTHOR_UPDATE, ("Author", author.id), fields=changed)
    return author


async def delete_author(session: AsyncSession, viewer: Viewer, author_id: int) -> None:
    """Delete an author with no bylines. Raises NotFound, InputError (CONFLICT: has bylines)."""
    author = await session.get(Author, author_id, with_for_update=True)
    if author is None:
        raise NotFound("no such author")
    if await session.scalar(select(exists().where(ArticleAuthor.author_id == author_id))):
        raise InputError(
            [Problem(("id",), "this author has bylines on articles; change those first", ErrorCode.CONFLICT)]
        )
    await audit.record(session, viewer, AuditAction.AUTHOR_DELETE, ("Author", author.id), detail=_names(author))
    await session.delete(author)
    await session.flush()


def _names(author: Author) -> dict[str, str]:
    """What the log keeps to tell an author by, once renamed or deleted."""
    return {"name": author.name, "slug": author.slug}
