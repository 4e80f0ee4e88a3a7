"""Searching articles: their text first; their titles by trigram when the text finds nothing.

A query is read as web-search syntax (`"a phrase"`, `-word`, `or`) by `websearch_to_tsquery`,
which accepts any text. Each article is matched with the query in its own language's stemming;
one constant query over every language finds the candidates through the GIN index first.

Rank is text relevance times freshness. Relevance is `ts_rank_cd` over the weighted vector
(title 1.0, standfirst and tags 0.4, bylines 0.2, body 0.1), normalised to 0..1; freshness is
1 / (1 + age / 90 days), the age taken at a reference instant: the hour the first page was asked
for, carried by the cursors, so every page of one search ranks alike (and the same search
answers the same within the hour). Hits are ordered by rank, then by id.
"""

from __future__ import annotations

import enum
import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Float,
    cast,
    extract,
    func,
    literal,
    literal_column,
    select,
    text,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.db import Article
from cms.db.base import db_now
from cms.services.articles.listing import ArticleFilter, filter_conditions
from cms.services.articles.visibility import visible_to
from cms.services.errors import InputError, Problem
from cms.services.pagination import Page, decode_cursor, encode_cursor, page_size
from cms.services.text import normalize_locale

MAX_QUERY = 1000
HALF_FRESH_DAYS = 90
# ts_rank_cd's weights for D, C, B, A: body, bylines, standfirst and tags, title.
WEIGHTS: ColumnElement[Any] = literal_column("'{0.1, 0.2, 0.4, 1.0}'::float4[]")
# Characters 1 and 2 mark the matches (search_text keeps them out of the text); 3 and 4 stand
# for < and > there.
HEADLINE_OPTIONS = 'StartSel=\x01, StopSel=\x02, MaxFragments=2, MinWords=12, MaxWords=30, FragmentDelimiter=" … "'
_SHOWN = str.maketrans({"\x01": "<mark>", "\x02": "</mark>", "\x03": "&lt;", "\x04": "&gt;"})
# What the title fallback leaves out of a query: negated words, `or`, quotes.
_NOT_FOR_TITLES = re.compile(r'(?:^|\s)-\S*|\bor\b|"', re.IGNORECASE)
_TRIGRAM_MINIMUM = 3
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Mode(enum.Enum):
    """How a search found its hits; a cursor names the one it belongs to."""

    TEXT = "search:text"
    TITLES = "search:titles"


@dataclass(frozen=True)
class Hit:
    """An article a search found, its rank, and an excerpt as safe HTML with <mark>ed matches."""

    article: Article
    rank: float
    headline: str


@dataclass(frozen=True)
class _Position:
    mode: Mode
    reference: datetime
    rank: float
    id: int


async def search(
    session: AsyncSession,
    viewer: Viewer,
    query: str,
    *,
    first: int | None,
    after: str | None,
    filter: ArticleFilter | None = None,
) -> Page[Hit]:
    """A page of the visible articles matching `query`, best first; the titles most like it when
    its words match no article's text. Any text is a query: control characters (NUL included,
    which PostgreSQL's text cannot hold) read as spaces, and only its first MAX_QUERY
    characters count.

    Raises InputError (page size, cursor, filter)."""
    query = _CONTROL.sub(" ", query[:MAX_QUERY])
    size = page_size(first)
    position = _position(after)
    f = filter or ArticleFilter()
    where = [visible_to(viewer), *filter_conditions(f)]
    if not query.strip():
        return _empty()
    locale = normalize_locale(f.locale) if f.locale is not None else None
    if position is None or position.mode is Mode.TEXT:
        page = await _page(session, Mode.TEXT, query, locale, where, size, position)
        if page.items or position is not None:
            return page
    titles = _NOT_FOR_TITLES.sub(" ", query).strip()
    if sum(c.isalnum() for c in titles) < _TRIGRAM_MINIMUM or not await _has_trigrams(session):
        return _empty()
    return await _page(session, Mode.TITLES, titles, locale, where, size, position)


async def _has_trigrams(session: AsyncSession) -> bool:
    """Whether the server has pg_trgm (the embedded development server has not: no fallback)."""
    return bool(await session.scalar(text("SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_trgm')")))


def _empty() -> Page[Hit]:
    async def none() -> int:
        return 0

    return Page([], [], False, none)


def _own_query(query: str) -> Any:
    """The query in the stemming of the article's language."""
    return func.websearch_to_tsquery(func.search_config(Article.locale), query)


def _matches(mode: Mode, query: str, locale: str | None) -> list[ColumnElement[bool]]:
    if mode is Mode.TITLES:
        # word_similarity(query, title) above pg_trgm's threshold (0.6), through the trigram index.
        return [Article.title.bool_op("%>")(query)]
    # One constant query for the index (every language's stemming, or the filtered locale's),
    # then each article's own, so that `-word` excludes in the article's language.
    anywhere = (
        func.search_query(query) if locale is None else func.websearch_to_tsquery(func.search_config(locale), query)
    )
    return [Article.search_vector.bool_op("@@")(anywhere), Article.search_vector.bool_op("@@")(_own_query(query))]


def _rank(mode: Mode, query: str, reference: Any) -> ColumnElement[Any]:
    if mode is Mode.TITLES:
        relevance = cast(func.word_similarity(query, Article.title), Float)
    else:
        relevance = cast(func.ts_rank_cd(WEIGHTS, Article.search_vector, _own_query(query), 32), Float)
    age = cast(extract("epoch", reference - func.coalesce(Article.published_at, Article.created_at)), Float)
    days = func.greatest(age / 86400.0, 0.0)
    return relevance / (1.0 + days / float(HALF_FRESH_DAYS))


def _headline(query: str) -> Any:
    """Raw ts_headline over the standfirst and body (the title when they are empty)."""
    text = func.concat_ws("\n", Article.standfirst, func.body_text(Article.body))
    document = func.search_text(func.coalesce(func.nullif(text, ""), Article.title))
    return func.ts_headline(func.search_config(Article.locale), document, _own_query(query), HEADLINE_OPTIONS)


async def _page(
    session: AsyncSession,
    mode: Mode,
    query: str,
    locale: str | None,
    where: Sequence[ColumnElement[bool]],
    size: int,
    position: _Position | None,
) -> Page[Hit]:
    where = [*_matches(mode, query, locale), *where]
    reference: Any = (
        func.date_trunc("hour", db_now(), "UTC", type_=DateTime(timezone=True))
        if position is None
        else literal(position.reference, DateTime(timezone=True))
    )
    rank = _rank(mode, query, reference)
    seek = [] if position is None else [tuple_(rank, Article.id) < tuple_(literal(position.rank, Float), position.id)]
    best = (
        select(Article.id, rank.label("rank"))
        .where(*where, *seek)
        .order_by(rank.desc(), Article.id.desc())
        .limit(size + 1)
        .subquery()
    )
    headline = _headline(query) if mode is Mode.TEXT else Article.title
    rows = (
        await session.execute(
            select(Article, best.c.rank, headline, reference)
            .join(best, best.c.id == Article.id)
            .order_by(best.c.rank.desc(), best.c.id.desc())
        )
    ).all()
    hits: list[Hit] = []
    cursors: list[str] = []
    for article, score, raw, at in rows[:size]:
        hits.append(Hit(article, score, _shown(mode, raw)))
        cursors.append(encode_cursor(mode.value, [at.isoformat(), score, article.id]))

    async def count() -> int:
        return int(await session.scalar(select(func.count()).select_from(Article).where(*where)) or 0)

    return Page(hits, cursors, len(rows) > size, count)


def _shown(mode: Mode, raw: str) -> str:
    """A headline as HTML: the text escaped, only the marks live."""
    # One line: ts_headline keeps the newlines between the body's blocks.
    text = html.escape(" ".join(raw.split()))
    return text.translate(_SHOWN) if mode is Mode.TEXT else text


def _position(after: str | None) -> _Position | None:
    """Where a cursor stands. Raises InputError (not a cursor of a search)."""
    if after is None:
        return None
    for mode in Mode:
        try:
            raw_reference, raw_rank, raw_id = decode_cursor(mode.value, after, 3)
        except InputError:
            continue
        try:
            reference = datetime.fromisoformat(raw_reference)
        except (TypeError, ValueError):
            break
        numbers = (raw_rank, raw_id)
        if reference.tzinfo is None or any(isinstance(n, bool) or not isinstance(n, int | float) for n in numbers):
            break
        if math.isfinite(raw_rank) and isinstance(raw_id, int):
            return _Position(mode, reference, float(raw_rank), raw_id)
        break
    raise InputError([Problem(("after",), "after is not a cursor of this list")])
