"""The database: typed models, the engine and sessions, and the Alembic migrations."""

from cms.db.articles import Article, ArticleAuthor, ArticleRevision, ArticleSlug, ArticleTag, ScheduledChange
from cms.db.audit import AuditEvent, ServerSecret
from cms.db.authors import Author
from cms.db.base import Base
from cms.db.media import Media
from cms.db.persisted import PersistedQuery
from cms.db.rate_limits import RateCount
from cms.db.taxonomy import Section, Tag
from cms.db.trending import ArticleViews, TrendingList, TrendingPin, TrendingScore, ViewDedupe, ViewSalt
from cms.db.users import ApiToken, LoginThrottle, User

__all__ = [
    "ApiToken",
    "Article",
    "ArticleAuthor",
    "ArticleRevision",
    "ArticleSlug",
    "ArticleTag",
    "ArticleViews",
    "AuditEvent",
    "Author",
    "Base",
    "LoginThrottle",
    "Media",
    "PersistedQuery",
    "RateCount",
    "ScheduledChange",
    "Section",
    "ServerSecret",
    "Tag",
    "TrendingList",
    "TrendingPin",
    "TrendingScore",
    "User",
    "ViewDedupe",
    "ViewSalt",
]
