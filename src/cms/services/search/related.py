"""Articles related to an article: published ones in its language sharing its tags and its words.

Score = the number of tags shared, plus a half when the candidate's title shares two of the
article's title words (`title_query`): sharing more tags always comes first, shared title words
order articles sharing as many, then the newest. Candidates are bounded per article (the POOL
newest of each of its tags, the POOL newest titles sharing its words), so a tag on thousands of
articles costs no more than one on a few; and they are found through indexes alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, literal, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from cms.auth import Viewer
from cms.db import Article, ArticleTag
from cms.services.articles.visibility import status_is, visible_to
from cms.services.errors import InputError, Problem
from cms.vocabulary import ArticleStatus

DEFAULT_RELATED = 5
MAX_RELATED = 20
POOL = 100


def title_vector(article: Any) -> Any:
    """The words of an article's title, as indexed (migration 0008)."""
    return func.title_vector(article.locale, article.title)


def related_size(first: int | None) -> int:
    """How many related articles were asked for. Raises InputError (out of range)."""
    if first is None:
        return DEFAULT_RELATED
    if first < 0 or first > MAX_RELATED:
        raise InputError([Problem(("first",), f"first must be between 0 and {MAX_RELATED}")])
    return first


async def related_articles(
    session: AsyncSession, viewer: Viewer, keys: Sequence[tuple[int, int]]
) -> list[list[Article]]:
    """Batch load: for each (article id, how many), the related articles the viewer may see,
    best first, in key order; one statement for every article of the batch."""
    size = max((n for _, n in keys), default=0)
    if size == 0:
        return [[] for _ in keys]
    source = aliased(Article, name="source")
    # Published for every viewer (a draft is nobody's related reading), and what this viewer may see.
    shown = [
        status_is(ArticleStatus.PUBLISHED),
        visible_to(viewer),
        Article.locale == source.locale,
        Article.id != source.id,
    ]
    mine, theirs = aliased(ArticleTag), aliased(ArticleTag)
    # Each of the article's tags: its newest articles, through (tag_id, article_id).
    newest_of_tag = (
        select(theirs.article_id.label("id"))
        .join(Article, Article.id == theirs.article_id)
        .where(theirs.tag_id == mine.tag_id, *shown)
        .order_by(theirs.article_id.desc())
        .limit(POOL)
        .correlate(mine, source)
        .lateral("newest_of_tag")
    )
    tagged = (
        select(newest_of_tag.c.id, func.count().label("shared"), literal(0).label("worded"))
        .select_from(mine)
        .join(newest_of_tag, true())
        .where(mine.article_id == source.id)
        .group_by(newest_of_tag.c.id)
        .correlate(source)
    )
    worded = (
        select(Article.id.label("id"), literal(0).label("shared"), literal(1).label("worded"))
        .where(title_vector(Article).bool_op("@@")(func.title_query(title_vector(source))), *shown)
        .order_by(Article.id.desc())
        .limit(POOL)
        .correlate(source)
    )
    pool = union_all(tagged, worded).subquery("pool")
    score = (func.sum(pool.c.shared) + 0.5 * func.max(pool.c.worded)).label("score")
    best = (
        select(Article.id, score)
        .select_from(pool)
        .join(Article, Article.id == pool.c.id)
        .group_by(Article.id)
        .order_by(score.desc(), Article.published_at.desc(), Article.id.desc())
        .limit(size)
        .correlate(source)
        .lateral("best")
    )
    found = aliased(Article, name="found")
    ids = list(dict.fromkeys(i for i, _ in keys))
    rows = await session.execute(
        select(source.id, found)
        .select_from(source)
        .join(best, true())
        .join(found, found.id == best.c.id)
        .where(source.id.in_(ids))
        .order_by(source.id, best.c.score.desc(), found.published_at.desc(), found.id.desc())
    )
    by_source: dict[int, list[Article]] = {i: [] for i in ids}
    for source_id, article in rows:
        by_source[source_id].append(article)
    return [by_source[i][:n] for i, n in keys]
