"""The database: typed models, the engine and sessions, and the Alembic migrations."""

from cms.db.articles import Article, ArticleAuthor, ArticleRevision, ArticleSlug, ArticleTag, ScheduledChange
from cms.db.audit import AuditEvent, ServerSecret
from cms.db.authors import Author
from cms.db.base import Base
from cms.db.media import Media
from cms.db.taxonomy import Section, Tag
from cms.db.trending import TrendingList, TrendingPin
from cms.db.users import ApiToken, LoginThrottle, User

__all__ = [
    "ApiToken",
    "Article",
    "ArticleAuthor",
    "ArticleRevision",
    "ArticleSlug",
    "ArticleTag",
    "AuditEvent",
    "Author",
    "Base",
    "LoginThrottle",
    "Media",
    "ScheduledChange",
    "Section",
    "ServerSecret",
    "Tag",
    "TrendingList",
    "TrendingPin",
    "User",
]
