"""Searching articles: their text first; their titles by trigram when the text finds nothing.

A query is read as web-search syntax (`"a phrase"`, `-word`, `or`) by `websearch_to_tsquery`,
which accepts any text. Each article is matched with the query in its own language's stemming;
one constant query over every language finds the candidates through the GIN index first.

Rank is text relevance times freshness, over the RANKED newest matches (a query that matches
much of the archive does not read every match's vector to rank it). Relevance is `ts_rank_cd` over the weighted vector
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
    table,
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
# How many of the newest matches a search ranks, at most (all of them count in totalCount).
RANKED = 1000
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


def _queries(query: str) -> Any:
    """The query in every configuration's stemming, each made once per statement (made per row,
    they would cost more than the search): joined to an article by its language's configuration."""
    config: ColumnElement[Any] = literal_column("oid::regconfig")
    return (
        select(config.label("config"), func.websearch_to_tsquery(config, query).label("q"))
        .select_from(table("pg_ts_config"))
        .cte("queries")
    )


def _rank(mode: Mode, query: str, reference: Any, own: Any) -> ColumnElement[Any]:
    if mode is Mode.TITLES:
        relevance = cast(func.word_similarity(query, Article.title), Float)
    else:
        relevance = cast(func.ts_rank_cd(WEIGHTS, Article.search_vector, own.c.q, 32), Float)
    age = cast(extract("epoch", reference - func.coalesce(Article.published_at, Article.created_at)), Float)
    days = func.greatest(age / 86400.0, 0.0)
    return relevance / (1.0 + days / float(HALF_FRESH_DAYS))


def _headline(own: Any) -> Any:
    """Raw ts_headline over the standfirst and body (the title when they are empty)."""
    text = func.concat_ws("\n", Article.standfirst, func.body_text(Article.body))
    document = func.search_text(func.coalesce(func.nullif(text, ""), Article.title))
    return func.ts_headline(own.c.config, document, own.c.q, HEADLINE_OPTIONS)


def _found(
    mode: Mode, query: str, locale: str | None, where: Sequence[ColumnElement[bool]], *, ranked: bool = True
) -> Any:
    """Statement parts that find the matching articles the viewer may see: a function of a select
    (over articles) adding the joins and conditions, and the language queries (None for titles).
    `ranked`: only the RANKED newest matches, which a page is chosen from; else all (to count)."""
    if mode is Mode.TITLES:
        # word_similarity(query, title) above pg_trgm's threshold (0.6), through the trigram index.
        return (lambda statement: statement.where(Article.title.bool_op("%>")(query), *where)), None
    # The candidates first, through the GIN index with one constant query (every language's
    # stemming, or the filtered locale's), kept apart (a LIMIT, or OFFSET 0, keeps the planner
    # from folding the per-language join into the index scan); then each article against the
    # query in its own language, so that `-word` excludes in the article's language.
    anywhere = (
        func.search_query(query) if locale is None else func.websearch_to_tsquery(func.search_config(locale), query)
    )
    matching = select(Article.id).where(Article.search_vector.bool_op("@@")(anywhere), *where)
    if ranked:
        # Ranking reads each candidate's vector: a query matching much of the archive ranks the
        # newest RANKED of its matches (freshness weighs in the rank anyway), not all of them.
        newest = func.coalesce(Article.published_at, Article.created_at)
        matching = matching.order_by(newest.desc(), Article.id.desc()).limit(RANKED)
    candidates = matching.offset(0).subquery("candidates")
    own = _queries(query)

    # Only an excluded word can make an article match some language's query and not its own's:
    # without one, the candidates are the matches and their vectors are not read again.
    excludes = "-" in query

    def found(statement: Any) -> Any:
        statement = statement.join(candidates, candidates.c.id == Article.id).join(
            own, own.c.config == func.search_config(Article.locale)
        )
        return statement.where(Article.search_vector.bool_op("@@")(own.c.q)) if excludes else statement

    return found, own


async def _page(
    session: AsyncSession,
    mode: Mode,
    query: str,
    locale: str | None,
    where: Sequence[ColumnElement[bool]],
    size: int,
    position: _Position | None,
) -> Page[Hit]:
    found, own = _found(mode, query, locale, where)
    reference: Any = (
        func.date_trunc("hour", db_now(), "UTC", type_=DateTime(timezone=True))
        if position is None
        else literal(position.reference, DateTime(timezone=True))
    )
    rank = _rank(mode, query, reference, own)
    seek = [] if position is None else [tuple_(rank, Article.id) < tuple_(literal(position.rank, Float), position.id)]
    best = (
        found(select(Article.id, rank.label("rank")))
        .where(*seek)
        .order_by(rank.desc(), Article.id.desc())
        .limit(size + 1)
        .subquery()
    )
    # Headlines are made for the page alone, after it is chosen.
    page = select(Article, best.c.rank, reference).join(best, best.c.id == Article.id)
    if own is not None:
        page = page.add_columns(_headline(own)).join(own, own.c.config == func.search_config(Article.locale))
    else:
        page = page.add_columns(Article.title)
    rows = (await session.execute(page.order_by(best.c.rank.desc(), best.c.id.desc()))).all()
    hits: list[Hit] = []
    cursors: list[str] = []
    for article, score, at, raw in rows[:size]:
        hits.append(Hit(article, score, _shown(mode, raw)))
        cursors.append(encode_cursor(mode.value, [at.isoformat(), score, article.id]))

    async def count() -> int:
        every, _ = _found(mode, query, locale, where, ranked=False)
        return int(await session.scalar(every(select(func.count()).select_from(Article))) or 0)

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
