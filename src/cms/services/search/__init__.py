"""Finding articles: full-text search with a fallback on titles, and the articles related to one.

The database keeps every article's search vector (migration 0008: triggers and the functions
`search_config`, `search_query`, `search_text`, `body_text`, `title_query`); this package only
asks it questions, with the same visibility and filters as the lists of articles.
"""

from cms.services.search.hits import MAX_QUERY, Hit, search
from cms.services.search.related import DEFAULT_RELATED, MAX_RELATED, related_articles, related_size

__all__ = ["DEFAULT_RELATED", "MAX_QUERY", "MAX_RELATED", "Hit", "related_articles", "related_size", "search"]
