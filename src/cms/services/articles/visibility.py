"""Which articles a viewer may read, as SQL conditions evaluated by the database clock.

The policy says who reads what (`services.policy`); this module says it in SQL, so lists,
lookups, batch loads and trending entries all filter the same way, in the same statement.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, or_, true
from sqlalchemy.orm import aliased

from cms.auth import Viewer
from cms.db import Article, ArticleAuthor
from cms.db.base import db_now
from cms.services import policy
from cms.vocabulary import ArticleStatus


def status_is(status: ArticleStatus) -> ColumnElement[bool]:
    """Articles in a status as clients see it (`Article.shown_status`): a stored PUBLISHED is
    SCHEDULED before its publish time, PUBLISHED until its embargo ends, DRAFT after."""
    stored = Article.status == ArticleStatus.PUBLISHED.value
    ended = and_(Article.unpublish_at.is_not(None), Article.unpublish_at <= db_now())
    if status is ArticleStatus.PUBLISHED:
        return and_(stored, Article.published_at <= db_now(), ~ended)
    if status is ArticleStatus.SCHEDULED:
        return and_(stored, Article.published_at > db_now())
    if status is ArticleStatus.DRAFT:
        return or_(Article.status == status.value, and_(stored, ended))
    return Article.status == status.value


def bylined(author_id: int) -> ColumnElement[bool]:
    """Articles carrying this byline."""
    # An alias of its own, so the subquery correlates only with the outer articles row even
    # where the outer query joins article_authors too.
    byline = aliased(ArticleAuthor)
    return exists().where(byline.article_id == Article.id, byline.author_id == author_id)


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """The articles a viewer may read: live ones for all, unpublished ones for some."""
    if policy.reads_unpublished(viewer):
        return true()
    live = status_is(ArticleStatus.PUBLISHED)
    own = policy.own_byline(viewer)
    return or_(live, bylined(own)) if own is not None else live
