"""Articles related to an article: published ones in its language sharing its tags and its words.

Score = the number of tags shared + how well the candidate's text matches the article's title
words (`ts_rank`, normalised to 0..1): sharing more tags always comes first, the text orders
articles sharing as many, then the newest. Candidates are bounded per article (the POOL sharing
most tags, the POOL newest matching its title words), so a tag on thousands of articles costs
no more than one on a few.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Float, cast, func, literal, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from cms.auth import Viewer
from cms.db import Article, ArticleTag
from cms.services.articles.visibility import status_is, visible_to
from cms.services.errors import InputError, Problem
from cms.vocabulary import ArticleStatus

DEFAULT_RELATED = 5
MAX_RELATED = 20
POOL = 200


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
    shared = func.count()
    tagged = (
        select(theirs.article_id.label("id"), shared.label("shared"))
        .select_from(mine)
        .join(theirs, theirs.tag_id == mine.tag_id)
        .join(Article, Article.id == theirs.article_id)
        .where(mine.article_id == source.id, *shown)
        .group_by(theirs.article_id)
        .order_by(shared.desc(), theirs.article_id.desc())
        .limit(POOL)
        .correlate(source)
    )
    words = func.title_query(source.search_vector)
    worded = (
        select(Article.id.label("id"), literal(0).label("shared"))
        .where(Article.search_vector.bool_op("@@")(words), *shown)
        .order_by(Article.id.desc())
        .limit(POOL)
        .correlate(source)
    )
    pool = union_all(tagged, worded).subquery("pool")
    text = func.coalesce(cast(func.ts_rank(Article.search_vector, words, 32), Float), 0.0)
    score = (func.sum(pool.c.shared) + text).label("score")
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
