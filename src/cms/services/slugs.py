"""Slugs: taken ones refused, derived ones made unique."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.services.errors import Problems
from cms.services.text import MAX_SLUG, checked_slug, slugify
from cms.vocabulary import ErrorCode


async def _taken(
    session: AsyncSession,
    model: Any,
    slugs: Sequence[str],
    exclude_id: int | None,
    scope: Sequence[ColumnElement[bool]],
) -> set[str]:
    stmt = select(model.slug).where(model.slug.in_(slugs), *scope)
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    return set((await session.scalars(stmt)).all())


async def choose_slug(
    session: AsyncSession,
    problems: Problems,
    model: Any,
    *,
    given: str | None,
    source: str,
    fallback: str,
    path: Sequence[str] = ("input", "slug"),
    exclude_id: int | None = None,
    scope: Sequence[ColumnElement[bool]] = (),
) -> str:
    """The slug to store: `given` when free (ALREADY_EXISTS when taken), else one derived from
    `source` with -2, -3... appended until it is free. `scope` narrows where a slug must be
    unique (an article's slug is unique in its language)."""
    if given is not None:
        slug = checked_slug(problems, path, given)
        if slug and await _taken(session, model, [slug], exclude_id, scope):
            problems.add(path, f"the slug '{slug}' is already taken", ErrorCode.ALREADY_EXISTS)
        return slug
    base = slugify(source, fallback)[: MAX_SLUG - 6].rstrip("-")
    candidates = [base] + [f"{base}-{n}" for n in range(2, 50)]
    taken = await _taken(session, model, candidates, exclude_id, scope)
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    # Fifty of one title: a random suffix; the unique constraint still has the last word.
    return f"{base}-{secrets.token_hex(3)}"
