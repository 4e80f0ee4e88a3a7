"""The database: typed models, the engine and sessions, and the Alembic migrations."""

from cms.db.articles import Article, ArticleAuthor, ArticleTag
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
    "ArticleTag",
    "Author",
    "Base",
    "LoginThrottle",
    "Media",
    "Section",
    "Tag",
    "TrendingList",
    "TrendingPin",
    "User",
]
